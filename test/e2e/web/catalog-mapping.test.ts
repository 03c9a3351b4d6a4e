/** The scheme mapping page and the case move in a real browser; derived limits on the standards page. */
import { sql } from 'kysely';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../helpers/app.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

async function choose(page: Page, select: Locator, text: string) {
  await select.click();
  await page.keyboard.type(text.split(' ')[0] ?? text);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text })
    .first()
    .click();
}

async function confirm(page: Page) {
  await page.locator('.ant-popconfirm:visible .ant-popconfirm-buttons .ant-btn-primary').click();
}

const searchBox = (page: Page, testId: string) =>
  page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();

describe('scheme mapping console', { timeout: 180_000 }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const api = async (user: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    server.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: await bearer(server.app, user),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const targetsOf = async (code: string) =>
    (
      (await api('admin', 'GET', '/catalog/mappings?kind=event')).json().items as Array<{
        from: { code: string };
        to: Array<{ code: string; note: string | null }>;
      }>
    ).find((i) => i.from.code === code)?.to;

  it('lists the reviewed mapping, adds and removes a counterpart with a note', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'admin');
    await page.goto('/admin/catalog-mapping');
    await page.getByTestId('mapping-table').waitFor();
    await page.getByTestId('from-0101').waitFor();
    await expect.poll(() => page.getByTestId('to-0101-06001').textContent()).toContain('私搭乱建');
    await screenshot(page, 'catalog-mapping');

    // The 突发事件 without counterpart, with the reason.
    await choose(page, page.getByTestId('mapping-status-filter'), '无对应');
    await page.getByTestId('none-0401').waitFor();
    expect(await page.getByTestId('none-0401').textContent()).toContain('无「突发事件」大类');
    await screenshot(page, 'catalog-mapping-none');
    await choose(page, page.getByTestId('mapping-status-filter'), '全部状态');

    await searchBox(page, 'mapping-search').fill('0110');
    await page.getByTestId('add-0110').click();
    await choose(page, page.getByTestId('mapping-target'), '06050 路缘石缺损');
    await page.getByTestId('mapping-note').fill('路缘石缺损也常报为道路破损');
    await screenshot(page, 'catalog-mapping-add');
    await page.getByTestId('mapping-save').click();
    await page.getByTestId('to-0110-06050').waitFor();
    expect(await targetsOf('0110')).toEqual([
      expect.objectContaining({ code: '06013' }),
      expect.objectContaining({ code: '06050', note: '路缘石缺损也常报为道路破损' }),
    ]);
    await page.getByTestId('to-0110-06050').getByRole('button').click();
    await confirm(page);
    await page.getByTestId('to-0110-06050').waitFor({ state: 'detached' });
    expect((await targetsOf('0110'))?.map((x) => x.code)).toEqual(['06013']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('previews a move, asks for the split class, applies it', async () => {
    const supervisor = await bearer(server.app, 'supervisor');
    const media = await server.app.inject({
      method: 'POST',
      url: '/api/v1/media',
      headers: { ...supervisor, 'content-type': 'image/png' },
      payload: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
        'base64',
      ),
    });
    const point = (
      await sql<{ lng: number; lat: number }>`
        SELECT ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM grids g
        WHERE g.code IN (SELECT sg.grid_code FROM supervisor_grids sg JOIN users u ON u.id = sg.user_id WHERE u.username = 'supervisor')
        ORDER BY g.code LIMIT 1`.execute(server.test.store.db)
    ).rows[0];
    const report = async (kind: string, code: string) => {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: supervisor,
        payload: {
          kind,
          categoryCode: code,
          lng: point?.lng,
          lat: point?.lat,
          address: '锦江区测试路 1 号',
          description: `迁移 ${code}`,
          photos: [media.json().sha256],
          source: 'supervisor',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as number;
    };
    const pole = await report('component', '0117');
    const garbage = await report('event', '0102');

    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'admin');
    await page.goto('/admin/catalog-mapping');
    await page.getByRole('tab', { name: '案卷迁移' }).click();
    await page.getByTestId('move-preview').click();
    await page.getByTestId('move-from-0117').waitFor();
    expect(await page.getByTestId('move-summary').textContent()).toContain('2 件案卷');
    expect(await page.getByTestId('move-apply').isDisabled()).toBe(true);
    await screenshot(page, 'catalog-move-preview');
    await choose(page, page.getByTestId('move-choice-0117'), '01031 通信立杆');
    await screenshot(page, 'catalog-move-resolved');
    await page.getByTestId('move-apply').click();
    await confirm(page);
    await page.getByText('已迁移 2 件，保留原类别 0 件').waitFor();
    await page.getByText('没有需要迁移的案卷').waitFor();
    await screenshot(page, 'catalog-move-done');
    const category = async (id: number) => (await api('admin', 'GET', `/cases/${id}`)).json().category.code;
    expect([await category(pole), await category(garbage)]).toEqual(['01031', '06010']);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('standards page under GB/T 47678.5', { timeout: 180_000 }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  const saved = process.env.CATALOG_SCHEME;
  beforeAll(async () => {
    process.env.CATALOG_SCHEME = 'gbt47678';
    [server, browser] = await Promise.all([startConsole({ CATALOG_SCHEME: 'gbt47678' }), launchBrowser()]);
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.CATALOG_SCHEME;
    else process.env.CATALOG_SCHEME = saved;
    await browser?.close();
    await server?.close();
  });

  it("says where a class's limits were derived from", async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'admin');
    await page.goto('/admin/standards');
    await page.getByTestId('category-tree').waitFor();
    await page.getByPlaceholder('搜索类别').fill('06010');
    await page.getByTestId('category-tree').getByText('06010 暴露垃圾').click();
    const note = page.getByTestId('standard-derivation');
    await note.waitFor();
    expect(await note.textContent()).toContain('由 GB/T 30428.2 0102 暴露垃圾 的标准经类别对应关系推导');
    await page.getByTestId('time-limit-table').waitFor();
    await screenshot(page, 'catalog-standard-derived');
    expect(problems).toEqual([]);
    await context.close();
  });
});
