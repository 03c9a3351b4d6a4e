/**
 * 井盖专项 in a real browser: with the demo covers registered and three cover cases in flows
 * (one overdue, one made safe, one just started), the intake operator opens the page from the
 * menu and sees the dashboard by type × owner, the overdue flow, and the covers on the map in
 * their state colours.
 */
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, loginAll } from '../../../src/modules/cases/testkit.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

const mapOf = (selector: string) => `document.querySelector(${JSON.stringify(selector)}).maplibre`;
const MAP = '[data-testid=covers-page] [data-testid=city-map]';

async function idle(page: Page) {
  // Polled from here: the console's CSP forbids the string functions waitForFunction would run.
  const deadline = Date.now() + 60_000;
  const check = `(() => { const m = ${mapOf(MAP)}; return !!m && m.loaded() && m.areTilesLoaded() && !m.isMoving(); })()`;
  while (!(await page.evaluate<boolean>(check))) {
    if (Date.now() > deadline) throw new Error('the covers map did not become idle');
    await page.waitForTimeout(200);
  }
  await page.waitForTimeout(500);
}

describe('井盖专项 dashboard', { timeout: 240_000 }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startConsole({ HOTLINE_OUTBOX_SENDER: 'false' }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the dashboard, the overdue flow and the covers coloured by state', async () => {
    const { app, test } = server;
    const tokens = await loginAll(app);
    const api = client(app, tokens);
    const imported = await api.call('admin', 'POST', '/api/v1/covers/import', { roadClass: 'branch' });
    expect(imported.statusCode, imported.body).toBe(200);
    // Three 市政 covers (雨水 / 污水) in the demo supervisor's grids.
    const covers = (
      await sql<{ id: string; category_code: string; lng: number; lat: number }>`
        SELECT k.id, k.category_code, ST_X(k.geom) AS lng, ST_Y(k.geom) AS lat FROM components k
         WHERE k.category_code IN ('0102', '0103')
           AND k.grid_code IN (SELECT sg.grid_code FROM supervisor_grids sg JOIN users u ON u.id = sg.user_id
                                WHERE u.username = 'supervisor')
         ORDER BY k.id LIMIT 3`.execute(test.store.db)
    ).rows;
    expect(covers).toHaveLength(3);
    const photo = await api.upload('supervisor');
    const caseIds: number[] = [];
    for (const [i, c] of covers.entries()) {
      const reported = await api.report('supervisor', {
        source: 'supervisor',
        kind: 'component',
        categoryCode: c.category_code,
        componentCode: c.id,
        lng: c.lng,
        lat: c.lat,
        address: `井盖 ${c.id}`,
        description: ['井盖缺失', '井盖破损', '井盖移位'][i] as string,
        urgency: 'urgent',
        photos: [photo],
      });
      // The first was reported two hours ago: the owner was due on site 90 minutes ago.
      if (i === 0)
        await sql`UPDATE cases SET reported_at = now() - interval '2 hours' WHERE id = ${reported.id}`.execute(
          test.store.db,
        );
      const started = await api.call('intake', 'POST', '/api/v1/covers/flows', {
        caseId: reported.id,
        defect: ['missing', 'broken', 'displaced'][i],
      });
      expect(started.statusCode, started.body).toBe(201);
      caseIds.push(reported.id);
    }
    // The second is made safe: barrier and temporary cover by the owner.
    for (const step of ['barrier', 'temporary_cover']) {
      const res = await api.call('dept', 'POST', `/api/v1/covers/flows/${caseIds[1]}/steps/${step}`, {
        photos: [photo],
      });
      expect(res.statusCode, res.body).toBe(200);
    }

    const { page, context, problems } = await openPage(browser, server.url);
    try {
      await page.setViewportSize({ width: 1600, height: 1000 });
      await login(page, 'intake');
      await page.locator('.ant-layout-sider .ant-menu-item', { hasText: '井盖专项' }).click();
      await page.getByTestId('covers-page').waitFor();
      const board = page.getByTestId('covers-dashboard');
      await board.locator('tbody tr.ant-table-row').first().waitFor();
      const row = await board.locator('tbody tr.ant-table-row').allTextContents();
      expect(row.join(' ')).toContain('市政设施管理处');
      await page.getByTestId('covers-overdue').locator('tbody tr.ant-table-row').first().waitFor();
      await expect(page.getByTestId('covers-overdue').textContent()).resolves.toContain('警示围挡');

      const lng = covers.reduce((a, c) => a + c.lng, 0) / covers.length;
      const lat = covers.reduce((a, c) => a + c.lat, 0) / covers.length;
      await page.evaluate(`${mapOf(MAP)}.jumpTo(${JSON.stringify({ center: [lng, lat], zoom: 16 })})`);
      await page.getByTestId('covers-map-counts').getByText('超时 1').waitFor();
      await idle(page);
      const drawn = await page.evaluate<Record<string, number>>(`(() => {
        const out = {};
        for (const f of ${mapOf(MAP)}.queryRenderedFeatures({ layers: ['covers-points', 'covers-alert'] })) {
          out[f.properties.state] = (out[f.properties.state] || 0) + 1;
        }
        return out;
      })()`);
      expect(drawn.overdue).toBeGreaterThanOrEqual(1);
      expect(drawn.made_safe).toBeGreaterThanOrEqual(1);
      expect(drawn.open).toBeGreaterThanOrEqual(1);
      expect(drawn.normal).toBeGreaterThan(0);
      await screenshot(page, 'covers-dashboard');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
