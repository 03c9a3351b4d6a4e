/** The cases area in a real browser: intake workspace, hotline form, case page, search, export. */
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
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

describe('web console: cases', () => {
  let server: ConsoleServer;
  let browser: Browser;
  /** A case of 青羊区 (intake2), which 锦江区 filters must leave out. */
  let otherNumber: string;
  /** The case the intake operator registers through the form. */
  let createdNumber: string;
  let createdId: number;

  const report = async (user: string, body: Record<string, unknown>) => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: await bearer(server.app, user),
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; number: string };
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
    // Points inside each district (a grid's interior point), so the workspace is not empty.
    const { sql } = await import('kysely');
    const point = async (prefix: string) => {
      const r = await sql<{ lng: number; lat: number }>`
        SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat
        FROM grids WHERE code LIKE ${`${prefix}%`} ORDER BY code LIMIT 1`.execute(server.test.store.db);
      const row = r.rows[0];
      if (!row) throw new Error(`no grid under ${prefix}`);
      return row;
    };
    const base = { source: 'hotline_12345', kind: 'event', categoryCode: '0102', description: '垃圾堆放' };
    await report('intake', { ...base, ...(await point('510104001')), address: '锦江区测试地址1号' });
    otherNumber = (
      await report('intake2', { ...base, ...(await point('510105')), address: '青羊区测试地址2号' })
    ).number;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Rows of the case table (by the number each row carries). */
  const rowNumbers = (page: Page) =>
    page
      .locator('[data-testid="case-table"] tr[data-case-number]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-number')));

  it('intake registers a hotline report through the form and sees it in the queue and on its page', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'intake');
    await page.waitForURL(/\/intake$/);
    await page.getByTestId('case-table').locator('tr[data-case-number]').first().waitFor();
    await screenshot(page, 'cases-intake');

    await page.getByTestId('new-case').click();
    await page.waitForURL(/\/intake\/new$/);
    // Category: search the tree and pick the 小类.
    await page.getByTestId('category-picker').click();
    await page.keyboard.type('暴露垃圾');
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '暴露垃圾' }).first().click();
    // Address search flies the map there; a click on the map sets the point and fills the address.
    await page.getByTestId('city-map').and(page.locator('[data-ready="true"]')).waitFor();
    await page.getByTestId('address-search').locator('input').fill('合江亭');
    await page.locator('.ant-select-item-option', { hasText: '合江亭' }).first().click();
    await page.waitForTimeout(2500); // the fly-to animation
    const box = await page.getByTestId('city-map').boundingBox();
    if (!box) throw new Error('map not visible');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect
      .poll(() => page.getByTestId('address').inputValue(), { timeout: 10_000 })
      .toContain('锦江区');
    await expect
      .poll(() => page.getByTestId('picked-grid').textContent(), { timeout: 15_000 })
      .toMatch(/510104\d{9}/);
    await page.getByTestId('description').fill('人行道上有一堆生活垃圾，约两平方米');
    await page.getByTestId('reporter-name').fill('张先生');
    await page.getByTestId('reporter-phone').fill('13800138000');
    await screenshot(page, 'cases-intake-new');
    await page.getByTestId('submit-case').click();

    await page.waitForURL(/\/cases\/\d+$/);
    createdId = Number(new URL(page.url()).pathname.split('/').pop());
    const notice = await page.getByTestId('created-notice').textContent();
    createdNumber = (await page.getByTestId('case-number').textContent()) ?? '';
    expect(createdNumber).toMatch(/^510104-\d{8}-E-\d{4,}$/);
    expect(notice).toContain(createdNumber);
    // The timeline has the report, by the intake operator.
    const timeline = page.getByTestId('case-timeline');
    await timeline.locator('[data-action="report"]').waitFor();
    expect(await timeline.textContent()).toContain('吴受理');
    const details = await page.getByTestId('case-details').textContent();
    expect(details).toContain('暴露垃圾');
    expect(details).toContain('12345 热线');
    expect(details).toContain('张先生 13800138000'); // intake sees personal data in full
    await page.getByTestId('city-map').and(page.locator('[data-ready="true"]')).waitFor();
    await screenshot(page, 'cases-detail');

    // Back in the workspace the new case waits in 待受理.
    await page.goto('/intake?queue=intake');
    await expect.poll(() => rowNumbers(page), { timeout: 15_000 }).toContain(createdNumber);
    const server404 = await server.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${createdId}`,
      headers: await bearer(server.app, 'intake2'),
    });
    expect(server404.statusCode).toBe(404); // another district's operator does not see it
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('case search filters by number and by district, and exports the list as .xlsx', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'admin');
    await page.goto('/cases');
    await page.getByTestId('case-table').locator('tr[data-case-number]').first().waitFor();
    const all = await rowNumbers(page);
    expect(all).toEqual(expect.arrayContaining([createdNumber, otherNumber]));

    await page.getByTestId('filter-q').fill(createdNumber);
    await page.keyboard.press('Enter');
    await expect.poll(() => rowNumbers(page), { timeout: 15_000 }).toEqual([createdNumber]);

    await page.getByTestId('filter-q').fill('');
    await page.getByTestId('filter-district').click();
    await page.locator('.ant-select-item-option', { hasText: '青羊区' }).click();
    await page.getByTestId('filter-submit').click();
    await expect.poll(() => rowNumbers(page), { timeout: 15_000 }).toEqual([otherNumber]);

    await page.getByTestId('filter-district').click();
    await page.locator('.ant-select-item-option', { hasText: '锦江区' }).click();
    await page.getByTestId('filter-submit').click();
    await expect.poll(() => rowNumbers(page), { timeout: 15_000 }).toContain(createdNumber);
    expect(await rowNumbers(page)).not.toContain(otherNumber);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'cases-search');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = await download.path();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const cells: string[] = [];
    book.worksheets[0]?.eachRow((row) => {
      row.eachCell((cell) => {
        cells.push(String(cell.value));
      });
    });
    // The export follows the filters: 锦江区's case is in it, 青羊区's is not.
    expect(cells).toContain(createdNumber);
    expect(cells).not.toContain(otherNumber);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
