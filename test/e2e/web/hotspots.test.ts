/**
 * 热点分析 in a real browser, over a week of generated history in last month: the leader sees
 * the hot-spot cells on the map and in the list (the same numbers as the API), switches to
 * kernel density and emerging hot spots, and opens the cases behind the hottest cell.
 */
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

/** Last month's first local day, as the page opens on it (no demo history running here). */
function lastMonthStart(): number {
  const local = new Date(Date.now() + OFFSET);
  const thisMonth = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1);
  const prev = new Date(thisMonth - DAY);
  return Date.UTC(prev.getUTCFullYear(), prev.getUTCMonth(), 1) - OFFSET;
}

describe('hot-spot page', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const from = lastMonthStart();

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
    await seedHistory(server.test.store, {
      from: new Date(from + 3 * DAY),
      days: 7,
      seed: 5,
      casesPerDay: 80,
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows hot spots on the map and in the list, and the cases behind a cell', async () => {
    // The page asks for the month from its first day to the same day of this month.
    const local = new Date(from + OFFSET);
    const to = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - OFFSET;
    const auth = await bearer(server.app, 'leader');
    const api = await server.app.inject({
      method: 'GET',
      url: `/api/v1/analytics/hotspots?unit=hex&resolution=9&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`,
      headers: auth,
    });
    expect(api.statusCode, api.body).toBe(200);
    const expected = api.json();
    expect(expected.caseCount).toBeGreaterThan(100);

    const { page, problems } = await openPage(browser, server.url, {
      viewport: { width: 1440, height: 900 },
    });
    await login(page, 'leader');
    await page.goto('/evaluation/hotspots');
    const table = page.getByTestId('hotspots-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    await page
      .locator(`[data-testid="city-map"][data-cells="${expected.features.features.length}"]`)
      .waitFor();
    // The list is the API's, hottest first.
    await expect(table.locator('tbody tr.ant-table-row').first().textContent()).resolves.toContain(
      expected.cells[0].id,
    );
    await expect(
      page.getByText(String(expected.caseCount), { exact: true }).first().isVisible(),
    ).resolves.toBe(true);
    // The map drew the cells (MapLibre's own rendered features).
    const drawn = await page.evaluate<number>(
      `(() => { const m = document.querySelector('[data-testid=city-map]').maplibre; return m ? m.queryRenderedFeatures({ layers: ['hotspots-fill'] }).length : -1; })()`,
    );
    expect(drawn).toBeGreaterThan(0);
    await screenshot(page, 'hotspots-gi');

    // The hottest cell's cases.
    await table.locator('tbody tr.ant-table-row').first().click();
    const drawer = page.getByTestId('hotspot-cases');
    await drawer.getByTestId('hotspot-case').first().waitFor();
    const shown = Math.min(20, expected.cells[0].count);
    await expect(drawer.getByTestId('hotspot-case').count()).resolves.toBe(shown);
    await expect(drawer.textContent()).resolves.toContain(`共 ${expected.cells[0].count} 件`);
    await screenshot(page, 'hotspots-cases');
    await page.keyboard.press('Escape');

    // Kernel density and emerging hot spots answer and draw too.
    await page.getByTestId('hotspots-mode').getByText('核密度').click();
    await expect(page.getByTestId('hotspots-legend').textContent()).resolves.toContain('高');
    await screenshot(page, 'hotspots-kde');
    await page.getByTestId('hotspots-mode').getByText('新兴热点').click();
    await page.getByTestId('hotspots-legend').getByText('新增').waitFor();
    await table.locator('tbody tr').first().waitFor();
    await screenshot(page, 'hotspots-emerging');
    expect(problems).toEqual([]);
  });
});
