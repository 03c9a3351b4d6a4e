/**
 * The field loop on a phone and in the console: a handler of a sub-unit (道路养护所) finds the
 * case his department (市政设施管理处) assigned him; after 返工 he sees why (reason, photos,
 * history), as the console shows it.
 */
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Fixtures, fixtures, loginAll, PNG } from '../../../src/modules/cases/testkit.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

const PHONE = { width: 390, height: 844 };

async function mobileLogin(page: Page, username: string) {
  await page.goto('/m/');
  await page.locator('#m-username').fill(username);
  await page.locator('#m-password').fill('CityLoop@2026');
  await page.getByTestId('login-submit').click();
}

/** Natural widths of the images matched (0 for one not fetched or not decoded, e.g. a 404). */
async function imagesLoaded(page: Page, selector: string): Promise<number[]> {
  // A string, so the server-side type check needs no DOM types.
  return (await page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((el) => {
    const img = el.tagName === 'IMG' ? el : el.querySelector('img');
    return img && img.complete ? img.naturalWidth : 0;
  })`)) as number[];
}

describe('field loop: sub-unit handler and rework', () => {
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

  it('the handler of 道路养护所 sees the case assigned to him and, after 返工, why it came back', async () => {
    const k = await c.report('supervisor', {
      source: 'supervisor',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区测试路 12 号',
      description: `路面垃圾待清运 ${Date.now()}`,
    });
    await c.ok('intake', k.id, 'intake');
    await c.ok('shiftlead', k.id, 'file');
    await c.ok('dispatcher', k.id, 'dispatch', { departmentCode: 'SZ' });
    await c.ok('dept', k.id, 'sign');
    const handlerId = (
      await sql<{ id: number }>`SELECT id FROM users WHERE username = 'handler'`.execute(server.test.store.db)
    ).rows[0]?.id;
    await c.ok('dept', k.id, 'assign_handler', { handlerId });

    // The phone: the task is in his list and opens.
    const phone = await openPage(browser, server.url, { viewport: PHONE });
    const { page } = phone;
    await mobileLogin(page, 'handler');
    const item = page.locator(`[data-testid=task-item][data-case="${k.id}"]`);
    await item.waitFor();
    await item.click();
    const casePage = page.getByTestId('case-page');
    await casePage.getByText(k.number).waitFor();
    await casePage.getByText('处置人员：冯处置（道路养护所）').waitFor();
    await page.getByTestId('action-feedback').waitFor();
    await screenshot(page, 'field-subunit-handler-case');

    // The console: the department's case page names the handler; the timeline says who assigned whom.
    const desk = await openPage(browser, server.url);
    await login(desk.page, 'dept');
    await desk.page.goto(`/cases/${k.id}`);
    await expect.poll(() => desk.page.getByTestId('case-handler').textContent()).toBe('冯处置（道路养护所）');
    const assigned = desk.page.locator('[data-action=assign_handler]');
    await assigned.getByTestId('event-handler').waitFor();
    expect(await assigned.textContent()).toContain('郑部门');
    expect(await assigned.getByTestId('event-handler').textContent()).toBe('处置人员: 冯处置（道路养护所）');
    await assigned.scrollIntoViewIfNeeded();
    await screenshot(desk.page, 'field-console-assigned');

    // 返工: the checker sends it back with a reason and a photo of his own.
    await c.ok('handler', k.id, 'feedback', { photos: [await c.upload('handler')] });
    await c.ok('intake', k.id, 'request_check');
    const upload = await server.app.inject({
      method: 'POST',
      url: '/api/v1/media',
      headers: { ...(await loginAll(server.app)).supervisor, 'content-type': 'image/png' },
      payload: Buffer.concat([PNG, Buffer.from('field-rework')]),
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const reason = '东侧仍有垃圾残留，请清理干净';
    await c.ok('supervisor', k.id, 'check_fail', { reason, photos: [upload.json().sha256] });

    await page.goto('/m/');
    const again = page.locator(`[data-testid=task-item][data-case="${k.id}"]`);
    await again.getByTestId('task-rework').waitFor();
    await screenshot(page, 'field-rework-list');
    await again.click();
    const rework = page.getByTestId('case-rework');
    await rework.waitFor();
    expect(await rework.getByTestId('rework-reason').textContent()).toBe(reason);
    expect(await rework.textContent()).toContain('王监督');
    await expect.poll(() => imagesLoaded(page, '[data-testid=rework-photo]')).toEqual([1]);
    const history = page.getByTestId('case-history');
    expect(await history.locator('[data-action=check_fail]').textContent()).toContain(reason);
    expect(await history.locator('[data-action=assign_handler]').count()).toBe(1);
    await screenshot(page, 'field-rework-case');
    await history.scrollIntoViewIfNeeded();
    await screenshot(page, 'field-rework-history');

    // The console as the handler: the same reason and photo above the case.
    const mine = await openPage(browser, server.url);
    await login(mine.page, 'handler');
    await mine.page.goto(`/cases/${k.id}`);
    const notice = mine.page.getByTestId('case-rework');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(reason);
    expect(await notice.textContent()).toContain('核查未通过，返工处置');
    expect(await notice.textContent()).toContain('王监督（监督员）');
    expect(await mine.page.getByTestId('case-rework-tag').textContent()).toBe('返工 ×1');
    await expect.poll(() => imagesLoaded(mine.page, '[data-testid=case-rework] .ant-image')).toEqual([1]);
    await screenshot(mine.page, 'field-console-rework');

    expect([...phone.problems, ...desk.problems, ...mine.problems]).toEqual([]);
    await Promise.all([phone.context.close(), desk.context.close(), mine.context.close()]);
  });
  it.each([
    ['supervisor', '市政设施管理处'],
    ['handler', '道路养护所'],
  ])('案件查询 lists the departments for %s (no 403, the filter is filled)', async (user, name) => {
    const w = await openPage(browser, server.url);
    await login(w.page, user);
    const answered = w.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/departments');
    await w.page.goto('/cases');
    expect((await answered).status()).toBe(200);
    await w.page.locator('.ant-form-item').filter({ hasText: '处置部门' }).locator('.ant-select').click();
    await w.page.locator('.ant-select-item-option').filter({ hasText: name }).first().waitFor();
    await screenshot(w.page, `field-departments-${user}`);
    expect(w.problems).toEqual([]);
    await w.context.close();
  });
});
