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

interface Row {
  subjectId: string;
  subjectName: string;
  rank: number | null;
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
