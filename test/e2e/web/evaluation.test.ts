/**
 * The evaluation pages in a real browser, over ten days of generated history ending with last
 * month: the leader reads last month's department ranking, a drill-down lists exactly the cases
 * of the clicked figure, the statistics count the month's cases, and a publication is frozen and
 * exported as .xlsx with one sheet per subject type.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedHistory } from '../../../src/seed/history.js';
import { bearer } from '../../helpers/app.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

const DAY = 86_400_000;
const OFFSET = 8 * 3_600_000;

/** Last month in local time (+08:00): its first day, and the instants [from, to). */
function lastMonth() {
  const local = new Date(Date.now() + OFFSET);
  const thisMonth = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1);
  const prev = new Date(thisMonth - DAY);
  const first = Date.UTC(prev.getUTCFullYear(), prev.getUTCMonth(), 1);
  return {
    firstDay: new Date(first).toISOString().slice(0, 10),
    from: new Date(first - OFFSET),
    to: new Date(thisMonth - OFFSET),
  };
}

/** Where a point lies on a Web Mercator map of `zoom` centred on `center` (512 px tiles). */
function screenPoint(
  box: { x: number; y: number; width: number; height: number },
  center: [number, number],
  zoom: number,
  lng: number,
  lat: number,
) {
  const size = 512 * 2 ** zoom;
  const x = (l: number) => ((l + 180) / 360) * size;
  const y = (p: number) => ((1 - Math.log(Math.tan(Math.PI / 4 + (p * Math.PI) / 360)) / Math.PI) / 2) * size;
  return {
    x: box.x + box.width / 2 + x(lng) - x(center[0]),
    y: box.y + box.height / 2 + y(lat) - y(center[1]),
  };
}

interface Row {
  subjectId: string;
  subjectName: string;
  rank: number | null;
  composite: number | null;
  grade: string | null;
  indicators: Record<string, { kind: string; numerator: number }>;
}

describe('evaluation pages', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const month = lastMonth();
  let rows: Row[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
    // Ten days of history ending with the last day of last month, so that month is finished.
    await seedHistory(server.test.store, {
      from: new Date(month.to.getTime() - 10 * DAY),
      days: 10,
      seed: 7,
      casesPerDay: 80,
    });
    const auth = await bearer(server.app, 'leader');
    const res = await server.app.inject({
      method: 'GET',
      url: `/api/v1/evaluation/results?subjectType=department&period=month&from=${month.firstDay}`,
      headers: auth,
    });
    expect(res.statusCode).toBe(200);
    rows = res.json().rows;
    expect(rows.length).toBeGreaterThan(1);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows last month’s department ranking; a drill-down lists exactly the cases of the figure', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'leader');
    await page.goto('/evaluation');
    const table = page.getByTestId('results-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    // The page shows the server's ranking: the first row is the subject ranked first.
    const first = [...rows].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9))[0] as Row;
    await expect(table.locator('tbody tr.ant-table-row').first().textContent()).resolves.toContain(
      first.subjectName,
    );
    // A count figure small enough to list on one page of the drawer.
    const pick =
      rows
        .flatMap((r) =>
          Object.entries(r.indicators)
            .filter(([, c]) => c.kind === 'count' && c.numerator > 0 && c.numerator <= 50)
            .map(([key, c]) => ({ subject: r.subjectId, key, n: c.numerator })),
        )
        .find((x) => x.subject === first.subjectId) ??
      rows
        .flatMap((r) =>
          Object.entries(r.indicators)
            .filter(([, c]) => c.numerator > 0 && c.numerator <= 50)
            .map(([key, c]) => ({ subject: r.subjectId, key, n: c.numerator })),
        )
        .find((x) => rows.slice(0, 20).some((r) => r.subjectId === x.subject));
    expect(pick).toBeDefined();
    const { subject, key, n } = pick as { subject: string; key: string; n: number };
    const cell = page.getByTestId(`cell-${subject}-${key}`);
    await expect(cell.getAttribute('data-value')).resolves.toBe(String(n));
    await cell.click();
    const count = page.getByTestId('drilldown-count');
    await page.locator(`[data-testid="drilldown-count"][data-value="${n}"]`).waitFor();
    await expect(count.getAttribute('data-value')).resolves.toBe(String(n));
    await expect(page.getByTestId('drilldown-case').count()).resolves.toBe(n);
    const href = await page.getByTestId('drilldown-case').first().getAttribute('href');
    expect(href).toMatch(/^\/cases\/\d+$/);
    await screenshot(page, 'evaluation-drilldown');
    await page.keyboard.press('Escape');
    await page.getByTestId('drilldown-table').waitFor({ state: 'hidden' });
    // A row's trend over six months: one results call per month, drawn as they arrive. The
    // subject's name cell is clicked (the figure cells open drill-downs).
    const firstRow = table.locator('tbody tr.ant-table-row').first();
    await firstRow.locator('td').first().click();
    await expect.poll(() => firstRow.getAttribute('class')).toContain('ant-table-row-selected');
    await page.getByTestId('trend-chart').waitFor();
    await page.locator('[data-testid="trend-points"][data-loaded="6"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('trend-card').scrollIntoViewIfNeeded();
    await page.waitForTimeout(1500); // the chart's symbols animate in before the screenshot
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'evaluation-results');
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);

  it('colours the communities and grids of last month by grade on the map', async () => {
    const auth = await bearer(server.app, 'leader');
    const resultsOf = async (type: string): Promise<Row[]> => {
      const res = await server.app.inject({
        method: 'GET',
        url: `/api/v1/evaluation/results?subjectType=${type}&period=month&from=${month.firstDay}`,
        headers: auth,
      });
      expect(res.statusCode).toBe(200);
      return res.json().rows;
    };
    const [communities, grids] = [await resultsOf('community'), await resultsOf('grid')];
    const graded = (list: Row[]) => list.filter((r) => r.grade !== null).length;
    expect(graded(communities)).toBeGreaterThan(1);
    expect(graded(grids)).toBeGreaterThan(graded(communities));
    // A graded area near the map's centre (the configured one), by a point inside it.
    const config = await server.app.inject({ method: 'GET', url: '/api/v1/client-config' });
    const center = config.json().map.center as [number, number];
    const nearCentre = async (rows: Row[], type: 'community' | 'grid') => {
      const codes = rows.filter((r) => r.grade !== null).map((r) => r.subjectId);
      const areas =
        type === 'grid'
          ? sql`SELECT code, geom AS shape FROM grids WHERE valid_to IS NULL`
          : sql`SELECT code, boundary AS shape FROM divisions WHERE level = 'community'`;
      const found = await sql<{ code: string; lng: number; lat: number }>`
        SELECT code, ST_X(p) AS lng, ST_Y(p) AS lat
          FROM (SELECT code, ST_PointOnSurface(shape) AS p FROM (${areas}) a
            WHERE code IN (${sql.join(codes)})) t
          ORDER BY ST_Distance(p, ST_SetSRID(ST_MakePoint(${center[0]}, ${center[1]}), 4326)) LIMIT 1`.execute(
        server.test.store.db,
      );
      const at = found.rows[0]!;
      return { ...at, row: rows.find((r) => r.subjectId === at.code) as Row & { composite: number } };
    };
    const target = await nearCentre(communities, 'community');
    const { subjectName, composite } = target.row;

    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'leader');
    await page.goto('/evaluation');
    await page.getByTestId('results-table').locator('tbody tr.ant-table-row').first().waitFor();
    // Departments are not areas: no map.
    await expect(page.getByTestId('results-map').count()).resolves.toBe(0);
    const chooseType = async (label: string) => {
      await page.getByTestId('subject-type').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).click();
    };
    await chooseType('社区');
    const map = page.locator(`[data-testid="results-map"][data-colored="${graded(communities)}"]`);
    await map.waitFor({ timeout: 60_000 });
    await map.scrollIntoViewIfNeeded();
    const box = (await page.getByTestId('city-map').boundingBox())!;
    const zoom = Number(await page.getByTestId('results-map').getAttribute('data-zoom'));
    const at = screenPoint(box, center, zoom, target.lng, target.lat);
    await page.mouse.click(at.x, at.y);
    const popup = page.getByTestId('results-map-popup');
    await expect.poll(() => popup.getAttribute('data-code')).toBe(target.code);
    const text = await popup.textContent();
    expect(text).toContain(subjectName);
    expect(text).toContain(composite.toFixed(2));
    // The click selected the community: its trend is drawn.
    await page.getByTestId('trend-card').getByText(subjectName).waitFor();
    await page.locator('[data-testid="trend-points"][data-loaded="6"]').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1000); // the trend's symbols animate in
    await screenshot(page, 'evaluation-map-community');

    await chooseType('单元网格');
    await page
      .locator(`[data-testid="results-map"][data-type="grid"][data-colored="${graded(grids)}"]`)
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('results-map').scrollIntoViewIfNeeded();
    const grid = await nearCentre(grids, 'grid');
    const gridBox = (await page.getByTestId('city-map').boundingBox())!;
    const gridZoom = Number(await page.getByTestId('results-map').getAttribute('data-zoom'));
    const over = screenPoint(gridBox, center, gridZoom, grid.lng, grid.lat);
    await page.mouse.move(over.x, over.y);
    await expect.poll(() => popup.getAttribute('data-code')).toBe(grid.code);
    await expect(popup.textContent()).resolves.toContain(grid.row.subjectName);
    await screenshot(page, 'evaluation-map-grid');
    // Hundreds of grids: the bar chart shows the best 20 and says so.
    expect(graded(grids)).toBeGreaterThan(20);
    await page.getByText('综合得分（前 20 名）').waitFor();
    await page.getByText('综合得分（前 20 名）').scrollIntoViewIfNeeded();
    await screenshot(page, 'evaluation-chart-grid');
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);

  it('lists the district 数字城管中心 as a subject, and every grid with the rule for empty rates', async () => {
    const auth = await bearer(server.app, 'leader');
    const res = await server.app.inject({
      method: 'GET',
      url: `/api/v1/evaluation/results?subjectType=center&period=month&from=${month.firstDay}`,
      headers: auth,
    });
    expect(res.statusCode).toBe(200);
    const centres = res.json().rows as Row[];
    expect(centres).toHaveLength(3);
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'leader');
    await page.goto('/evaluation');
    const table = page.getByTestId('results-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('subject-type').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '数字城管中心' })
      .click();
    await page.getByText('数字城管中心评价').waitFor();
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(3);
    for (const c of centres) await table.getByText(c.subjectName).waitFor();
    expect(centres.every((c) => c.subjectName.endsWith('数字城管中心'))).toBe(true);
    // Its figures drill down like any other: the first centre's 受理数.
    const first = centres.find((c) => (c.indicators.intakeCount?.numerator ?? 0) > 0) as Row;
    const cell = page.getByTestId(`cell-${first.subjectId}-intakeCount`);
    await expect(cell.getAttribute('data-value')).resolves.toBe(
      String(first.indicators.intakeCount?.numerator),
    );
    await expect(page.getByTestId('empty-rule').textContent()).resolves.toContain('0/0');
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'evaluation-center');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('statistics count the month’s cases and group them', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'leader');
    await page.goto('/evaluation/stats');
    const counted = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM cases WHERE reported_at >= ${month.from} AND reported_at < ${month.to}`.execute(
      server.test.store.db,
    );
    const n = counted.rows[0]?.n ?? 0;
    expect(n).toBeGreaterThan(0);
    await page.locator(`[data-testid="stat-reported"][data-value="${n}"]`).waitFor();
    await page.getByTestId('stats-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('top-categories').locator('tbody tr.ant-table-row').first().waitFor();
    await screenshot(page, 'evaluation-stats');
    await page.getByTestId('stats-group').getByText('类别').click();
    await page.getByTestId('stats-chart-type').getByText('饼图').click();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'evaluation-stats-category');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('the leader publishes last month, views the frozen ranking and exports it', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'leader');
    await page.goto('/evaluation/publications');
    await page.getByTestId('publications-table').waitFor();
    await page.getByTestId('action-publish').click();
    await page.getByTestId('publish-title').fill('上月综合评价');
    await page.getByTestId('publish-submit').click();
    await page.getByTestId('confirm-publish').click();
    const view = page.getByTestId('publication-view');
    await view.waitFor();
    const deptRows = page.getByTestId('publication-table-department').locator('tbody tr.ant-table-row');
    await deptRows.first().waitFor();
    await expect(deptRows.count()).resolves.toBe(Math.min(rows.length, 50));
    await screenshot(page, 'evaluation-publication');
    const download = page.waitForEvent('download');
    await page.getByTestId('action-export').click();
    const file = await (await download).path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toContain('专业部门');
    expect(names).toContain('监督员');
    expect(wb.getWorksheet('专业部门')?.rowCount).toBe(rows.length + 1);
    await page.keyboard.press('Escape');
    await page.getByTestId('publications-table').getByText('上月综合评价').waitFor();
    await screenshot(page, 'evaluation-publications');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
