/**
 * The field and citizen PWA (/m/) on a phone: a supervisor reports without signal and the case
 * arrives once; a handler reports back; a citizen reports, follows and rates; the app installs
 * (manifest, service worker) and opens offline with its outbox.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Fixtures, fixtures, loginAll } from '../../../src/modules/cases/testkit.js';
import { bearer } from '../../helpers/app.js';
import { type ConsoleServer, launchBrowser, screenshot, startConsole } from '../../helpers/browser.js';

const PHONE = { width: 390, height: 844 };

interface MobilePage {
  page: Page;
  context: BrowserContext;
  problems: string[];
  /** While true, requests failing for lack of network are expected, not problems. */
  offline: { value: boolean };
}

/**
 * A phone: touch, mobile viewport, a granted and mocked GPS position. Problems are collected as
 * in helpers/browser.ts openPage; only requests refused by the emulated "no network" are allowed.
 */
async function openPhone(
  browser: Browser,
  baseURL: string,
  at: { lng: number; lat: number },
): Promise<MobilePage> {
  const context = await browser.newContext({
    baseURL,
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    geolocation: { longitude: at.lng, latitude: at.lat, accuracy: 12 },
    permissions: ['geolocation'],
    serviceWorkers: 'allow',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const offline = { value: false };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/Failed to load resource/.test(m.text())) return;
    problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url().startsWith(baseURL) && r.status() !== 401) {
      problems.push(`http ${r.status()} ${r.request().method()} ${r.url()}`);
    }
  });
  page.on('requestfailed', (r) => {
    const error = r.failure()?.errorText ?? '';
    if (error === 'net::ERR_ABORTED') return;
    if (offline.value && error === 'net::ERR_INTERNET_DISCONNECTED') return;
    problems.push(`requestfailed: ${r.url()} ${error}`);
  });
  return { page, context, problems, offline };
}

async function setOffline(phone: MobilePage, value: boolean) {
  phone.offline.value = value;
  await phone.context.setOffline(value);
}

async function mobileLogin(page: Page, username: string) {
  await page.goto('/m/');
  await page.locator('#m-username').fill(username);
  await page.locator('#m-password').fill('CityLoop@2026');
  await page.getByTestId('login-submit').click();
}

/** A small real JPEG, drawn and encoded by the browser (no image library needed). */
async function makeJpeg(page: Page, label: string): Promise<Buffer> {
  // A string, so the server-side type check needs no DOM types.
  const b64 = await page.evaluate<string>(`(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 480;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#8a9';
    ctx.fillRect(0, 0, 640, 480);
    ctx.fillStyle = '#333';
    ctx.font = '40px sans-serif';
    ctx.fillText(${JSON.stringify(label)}, 40, 240);
    const blob = await new Promise((r) => canvas.toBlob(r, 'image/jpeg', 0.8));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (const x of bytes) s += String.fromCharCode(x);
    return btoa(s);
  })()`);
  return Buffer.from(b64, 'base64');
}

async function attachPhoto(page: Page, testId: string, label: string) {
  const jpeg = await makeJpeg(page, label);
  await page
    .getByTestId(testId)
    .locator('input[type=file]')
    .setInputFiles({ name: `${label}.jpg`, mimeType: 'image/jpeg', buffer: jpeg });
  // The resized photo shows as a thumbnail once it is ready.
  await page.getByTestId(testId).getByTestId('photo-thumb').first().waitFor();
}

describe('mobile PWA (/m/)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
    fx = await fixtures(server.test.store);
    c = client(server.app, await loginAll(server.app));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const casesWith = async (description: string) => {
    const res = await server.app.inject({
      method: 'GET',
      url: `/api/v1/cases?state=all&limit=50&q=${encodeURIComponent(description)}`,
      headers: await bearer(server.app, 'intake'),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Array<{ id: number; number: string; description: string; state: string }>;
  };

  it('installs, reports offline, keeps the outbox over an offline reload, and the case arrives once', async () => {
    const phone = await openPhone(browser, server.url, fx.supervised);
    const { page, problems } = phone;

    // Installable: the manifest, its icons and the service worker.
    const manifestRes = await page.request.get('/m/manifest.webmanifest');
    expect(manifestRes.status()).toBe(200);
    const manifest = await manifestRes.json();
    expect(manifest).toMatchObject({
      name: expect.stringContaining('城管通'),
      start_url: '/m/',
      scope: '/m/',
    });
    expect(manifest.display).toBe('standalone');
    for (const size of [192, 512]) {
      const icon = manifest.icons.find((i: { sizes: string }) => i.sizes === `${size}x${size}`);
      expect(icon?.type).toBe('image/png');
      const png = await (await page.request.get(icon.src)).body();
      // IHDR: width and height at bytes 16 and 20 of a PNG.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
    const sw = await page.request.get('/m/sw.js');
    expect(sw.headers()['cache-control']).toBe('no-cache');

    await mobileLogin(page, 'supervisor');
    await page.getByTestId('report-form').waitFor();
    expect(await page.locator('link[rel=manifest]').getAttribute('href')).toBe('/m/manifest.webmanifest');
    const scope = await page.evaluate<string>('navigator.serviceWorker.ready.then((r) => r.scope)');
    expect(scope).toBe(`${server.url}/m/`);
    await page.waitForFunction('navigator.serviceWorker.controller !== null');

    // Online first: the position with its accuracy and the grid found from it.
    await page.getByText('定位精度 ±12 米').waitFor();
    await expect(page.getByTestId('location-grid').textContent()).resolves.toContain(fx.supervised.code);
    await page.getByTestId('city-map').and(page.locator('[data-ready=true]')).waitFor();
    // The category list is loaded once online (reference data for the offline form).
    await page.getByTestId('category-picker').click();
    await page.getByTestId('category-search').locator('input').fill(fx.category.code);
    await page.getByTestId(`category-event-${fx.category.code}`).waitFor();
    await screenshot(page, 'mobile-category');
    await page.locator('.adm-mask').click({ position: { x: 10, y: 10 } });
    await screenshot(page, 'mobile-report');

    // No signal: the report goes into the outbox.
    await setOffline(phone, true);
    const description = `移动端离线上报 ${Date.now()}`;
    await attachPhoto(page, 'photos-before', 'before');
    await page.getByTestId('category-picker').click();
    await page.getByTestId('category-search').locator('input').fill(fx.category.code);
    await page.getByTestId(`category-event-${fx.category.code}`).click();
    await page.getByTestId('report-description').locator('textarea').fill(description);
    await page.getByTestId('report-submit').click();
    await page.getByText('已存入待发送，恢复网络后自动发送').waitFor();
    await page.getByTestId('tab-outbox').click();
    const item = page.getByTestId('outbox-item');
    await item.and(page.locator('[data-status=waiting]')).waitFor();
    await expect(item.textContent()).resolves.toContain(description.slice(0, 20));
    await screenshot(page, 'mobile-outbox-offline');

    // A reload without signal: the shell comes from the service worker, the item from IndexedDB.
    await page.reload();
    await page.getByTestId('offline-bar').waitFor();
    await item.and(page.locator('[data-status=waiting]')).waitFor();
    await screenshot(page, 'mobile-offline-reload');
    expect(await casesWith(description)).toEqual([]);

    // Signal again: sent once, with the case number shown.
    await setOffline(phone, false);
    await item.and(page.locator('[data-status=sent]')).waitFor({ timeout: 20_000 });
    const number = await page.getByTestId('outbox-result').textContent();
    expect(number).toMatch(/^510104-\d{8}-E-\d{4}$/);
    await screenshot(page, 'mobile-outbox-sent');
    const arrived = await casesWith(description);
    expect(arrived.map((x) => x.number)).toEqual([number]);

    // The same item sent again with its key (a lost answer, a retry): the server replays the
    // stored answer and stores nothing new.
    const replay = await page.evaluate<{
      status: number;
      replayed: string | null;
      body: { number: string };
    }>(`(async () => {
      const db = await new Promise((resolve, reject) => {
        const r = indexedDB.open('cityloop-outbox');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const items = await new Promise((resolve) => {
        const r = db.transaction('items').objectStore('items').getAll();
        r.onsuccess = () => resolve(r.result);
      });
      const sent = items.find((i) => i.path === '/cases');
      const res = await fetch('/api/v1' + sent.path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': sent.key },
        body: JSON.stringify(sent.body),
      });
      return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: await res.json() };
    })()`);
    expect(replay).toMatchObject({ status: 201, replayed: 'true', body: { number } });
    expect(await casesWith(description)).toHaveLength(1);
    const created = await c.call('supervisor', 'GET', `/api/v1/cases/${arrived[0]?.id}`);
    expect(created.json()).toMatchObject({
      source: 'supervisor',
      gridCode: fx.supervised.code,
      category: { code: fx.category.code },
    });
    expect(created.json().photos.before).toHaveLength(1);
    expect(problems).toEqual([]);
    await phone.context.close();
  });

  it('a leader gets a phone home with the live numbers and the console pages one tap away', async () => {
    // An open case, so the figures cannot be a placeholder 0.
    await c.report('supervisor', {
      source: 'supervisor',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区测试路 6 号',
      description: `领导首页的在办案卷 ${Date.now()}`,
    });
    const phone = await openPhone(browser, server.url, fx.supervised);
    const { page } = phone;
    try {
      await mobileLogin(page, 'leader');
      const home = page.getByTestId('leader-home');
      await home.waitFor();
      expect(new URL(page.url()).pathname).toBe('/m/l');
      await expect(home.textContent()).resolves.not.toContain('请使用电脑端');
      // The figures are the leader's live counts (city-wide scope), not placeholders.
      const counts = (
        await server.app.inject({
          method: 'GET',
          url: '/api/v1/live/counts',
          headers: await bearer(server.app, 'leader'),
        })
      ).json() as { open: number; overdue: number };
      expect(counts.open).toBeGreaterThan(0);
      await home
        .locator('.leader-figure', { hasText: '在办案卷' })
        .getByText(String(counts.open), { exact: true })
        .waitFor();
      await screenshot(page, 'm-leader-home');
      await home.getByText('监督指挥（地图与实时态势）').click();
      await page.getByTestId('command-page').waitFor({ timeout: 30_000 });
      expect(new URL(page.url()).pathname).toBe('/command');
      expect(phone.problems).toEqual([]);
    } finally {
      await phone.context.close();
    }
  });

  it("a supervisor sees 我的上报 with each report's state, and the duty switch in the title bar", async () => {
    const stamp = Date.now();
    const report = (user: 'supervisor' | 'intake', n: number) =>
      c.report(user, {
        source: user === 'intake' ? 'hotline_12345' : 'supervisor',
        kind: 'event',
        categoryCode: fx.category.code,
        lng: fx.supervised.lng,
        lat: fx.supervised.lat,
        address: `锦江区测试路 ${n} 号`,
        description: `我的上报 ${stamp} ${n}`,
      });
    const open = await report('supervisor', 1);
    const ended = await report('supervisor', 2);
    // In his grid but reported by the hotline: in his scope, not among his reports.
    const theirs = await report('intake', 3);
    await server.test.store.db
      .updateTable('cases')
      .set({ state: 'closed', closed_at: new Date() })
      .where('id', '=', ended.id)
      .execute();
    const phone = await openPhone(browser, server.url, fx.supervised);
    const { page } = phone;
    try {
      await mobileLogin(page, 'supervisor');
      const chip = page.getByTestId('duty-chip');
      await chip.waitFor();
      await page.getByTestId('tab-mine').click();
      const item = (id: number) => page.locator(`[data-testid="mine-item"][data-case="${id}"]`);
      await item(open.id).waitFor();
      await expect(item(open.id).textContent()).resolves.toContain(open.number);
      await expect(item(open.id).textContent()).resolves.toContain('已上报');
      expect(await item(ended.id).count()).toBe(0);
      expect(await item(theirs.id).count()).toBe(0);
      await screenshot(page, 'm-supervisor-my-reports');
      await page.getByText('已办结', { exact: true }).click();
      await item(ended.id).waitFor();
      await expect(item(ended.id).textContent()).resolves.toContain('已结案');
      expect(await item(open.id).count()).toBe(0);
      await item(ended.id).click();
      await page.waitForURL(`**/m/case/${ended.id}`);

      // The duty switch is in sight on every tab; a tap asks first, then the track starts.
      const onDuty = async () =>
        (
          (
            await server.app.inject({
              method: 'GET',
              url: '/api/v1/patrol/duty',
              headers: await bearer(server.app, 'supervisor'),
            })
          ).json() as { onDuty: boolean }
        ).onDuty;
      await page.goBack();
      const startedOn = await onDuty();
      await expect(chip.textContent()).resolves.toContain(startedOn ? '在岗中' : '未上岗');
      await chip.click();
      await page.getByRole('button', { name: startedOn ? '下岗' : '上岗', exact: true }).click();
      await page.locator(`[data-testid="duty-chip"][data-on="${!startedOn}"]`).waitFor();
      expect(await onDuty()).toBe(!startedOn);
      await screenshot(page, 'm-supervisor-duty-chip');
      await page.getByTestId('tab-me').click();
      await expect(page.getByTestId('duty-switch').getAttribute('aria-checked')).resolves.toBe(
        String(!startedOn),
      );
      expect(phone.problems).toEqual([]);
    } finally {
      await phone.context.close();
    }
  });

  it('a handler reports back on a dispatched case with an after-photo', async () => {
    const k = await c.report('supervisor', {
      source: 'supervisor',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区测试路 8 号',
      description: `待处置的暴露垃圾 ${Date.now()}`,
    });
    await c.ok('intake', k.id, 'intake');
    await c.ok('shiftlead', k.id, 'file');
    await c.ok('dispatcher', k.id, 'dispatch', { departmentCode: 'SZ-01' });
    await c.ok('dept', k.id, 'sign');

    const phone = await openPhone(browser, server.url, fx.supervised);
    const { page, problems } = phone;
    await mobileLogin(page, 'handler');
    await page.locator(`[data-testid=task-item][data-case="${k.id}"]`).click();
    await page.getByTestId('case-page').getByText(k.number).waitFor();
    expect(await page.getByTestId('navigate-link').getAttribute('href')).toMatch(/^geo:30\.\d+,104\.\d+\?q=/);
    await screenshot(page, 'mobile-handler-case');
    await page.getByTestId('action-feedback').click();
    await attachPhoto(page, 'action-photos', 'after');
    await page.getByTestId('action-reason').locator('textarea').fill('已清运完毕');
    await screenshot(page, 'mobile-handler-feedback');
    await page.getByTestId('action-submit').click();
    await page.getByTestId('task-list').waitFor();
    await expect
      .poll(async () => (await c.call('admin', 'GET', `/api/v1/cases/${k.id}`)).json().state, {
        timeout: 15_000,
      })
      .toBe('handled');
    const handled = (await c.call('admin', 'GET', `/api/v1/cases/${k.id}`)).json();
    expect(handled.photos.after).toHaveLength(1);
    await page.getByTestId('tab-map').click();
    await page.getByTestId('city-map').and(page.locator('[data-ready=true]')).waitFor();
    await screenshot(page, 'mobile-handler-map');
    expect(problems).toEqual([]);
    await phone.context.close();
  });

  it('a supervisor checks a 部件 case: the standard asks for site photos, so the check waits for one', async () => {
    // 上水井盖: the seeded standard asks for photos at 核查 (核查须拍照).
    const k = await c.report('supervisor', {
      source: 'supervisor',
      kind: 'component',
      categoryCode: '0101',
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区测试路 12 号',
      description: `井盖破损 ${Date.now()}`,
    });
    await c.ok('intake', k.id, 'intake');
    await c.ok('shiftlead', k.id, 'file');
    await c.ok('dispatcher', k.id, 'dispatch', { departmentCode: 'SZ-01' });
    await c.ok('dept', k.id, 'sign');
    await c.ok('handler', k.id, 'feedback', { photos: [await c.upload('handler')] });
    await c.ok('intake', k.id, 'request_check');
    const phone = await openPhone(browser, server.url, fx.supervised);
    const { page, problems } = phone;
    try {
      await mobileLogin(page, 'supervisor');
      await page.getByTestId('duty-chip').waitFor();
      await page.goto(`/m/case/${k.id}`);
      await page.getByTestId('action-check_pass').click();
      const form = page.getByTestId('form-check_pass');
      await form.getByText('现场照片（按标准必拍）').waitFor();
      await page.getByTestId('action-submit').click();
      await page.getByText('请至少拍一张照片').waitFor();
      expect((await c.call('admin', 'GET', `/api/v1/cases/${k.id}`)).json().state).toBe('checking');
      await attachPhoto(page, 'action-photos', 'check');
      await screenshot(page, 'mobile-supervisor-check-photos');
      await page.getByTestId('action-submit').click();
      await expect
        .poll(async () => (await c.call('admin', 'GET', `/api/v1/cases/${k.id}`)).json().state, {
          timeout: 15_000,
        })
        .toBe('pending_close');
      const events = (await c.call('admin', 'GET', `/api/v1/cases/${k.id}/events`)).json().items as Array<{
        action: string;
        payload: { photos?: string[] };
      }>;
      expect(events.find((e) => e.action === 'check_pass')?.payload.photos).toHaveLength(1);
      expect(problems).toEqual([]);
    } finally {
      await phone.context.close();
    }
  });

  it('a citizen reports without an account, follows the status and rates after closing', async () => {
    const phone = await openPhone(browser, server.url, fx.supervised);
    const { page, problems } = phone;
    // The citizens' map draws the city from the public boundary tiles, without a login.
    const boundaries = page.waitForResponse(
      (r) => r.url().includes('/api/v1/public/map/tiles/') && r.status() === 200,
      { timeout: 120_000 },
    );
    await page.goto('/m/public');
    await page.getByTestId('public-report-form').waitFor();
    const description = `小区门口垃圾堆积 ${Date.now()}`;
    await page.getByTestId('public-category').getByText('垃圾乱堆乱放').click();
    await attachPhoto(page, 'public-photos', 'citizen');
    await page.getByText('定位精度 ±12 米').waitFor();
    await page.getByTestId('public-description').locator('textarea').fill(description);
    await page.getByTestId('public-phone').locator('input').fill('13912345678');
    await screenshot(page, 'mobile-public-report');
    await page.getByTestId('public-submit').click();
    const code = (await page.getByTestId('tracking-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    await screenshot(page, 'mobile-public-code');

    await page.getByTestId('track-link').click();
    await expect(page.getByTestId('track-status').textContent()).resolves.toBe('已上报，待受理');
    expect(await page.getByTestId('rate-form').count()).toBe(0);

    // The center works the case to its close.
    const [k] = await casesWith(description);
    if (!k) throw new Error('the public report did not reach the center');
    await c.ok('intake', k.id, 'request_verification');
    await c.ok('supervisor', k.id, 'verify');
    await c.ok('shiftlead', k.id, 'file');
    await c.ok('dispatcher', k.id, 'dispatch', { departmentCode: 'SZ-01' });
    await c.ok('dept', k.id, 'sign');
    await c.ok('handler', k.id, 'feedback', { photos: [await c.upload('handler')] });
    await c.ok('intake', k.id, 'request_check');
    await c.ok('supervisor', k.id, 'check_pass');
    await c.ok('shiftlead', k.id, 'close');

    await page.reload();
    await expect(page.getByTestId('track-status').textContent()).resolves.toBe('已办结');
    await page.getByTestId('rate-form').getByRole('radio', { name: '4', exact: true }).tap();
    await page.getByTestId('rate-comment').locator('textarea').fill('处理及时，谢谢');
    await screenshot(page, 'mobile-public-rate');
    await page.getByTestId('rate-submit').click();
    await page.getByTestId('track-rating').waitFor();
    const tracked = await server.app.inject({ method: 'GET', url: `/api/v1/public/reports/${code}` });
    expect(tracked.json().rating).toMatchObject({ satisfaction: 4, comment: '处理及时，谢谢' });
    await screenshot(page, 'mobile-public-rated');

    await page.getByTestId('tab-cases').click();
    await page.getByTestId('public-cases').waitFor();
    await screenshot(page, 'mobile-public-cases');
    await page.getByTestId('tab-stats').click();
    await page.getByTestId('public-stats').waitFor();
    await screenshot(page, 'mobile-public-stats');
    expect((await boundaries).headers()['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(problems).toEqual([]);
    await phone.context.close();
  });
});
