/**
 * Issue 13's acceptance, as a new user meets the product: `cityloop start` on an empty data
 * directory (embedded store, demo mode), log in as the leader; within the first minute the
 * command map shows open cases with their traffic lights and supervisors on duty who move, and
 * the evaluation page shows figures. A smaller history than the default keeps the test short.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, login, openPage, screenshot } from '../../helpers/browser.js';
import { killAll, type ServerProcess, startServer } from '../../helpers/server-process.js';

const MINUTE = 60_000;

const countValue = async (page: Page, testId: string) =>
  Number(await page.getByTestId(testId).getAttribute('data-value'));

interface Latest {
  items: { user: { username: string }; onDuty: boolean; last: { at: string; position: unknown } | null }[];
}

describe('living demo (first start on an empty data directory)', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-demo-'));
    [server, browser] = await Promise.all([
      startServer(
        {
          DATA_DIR: dataDir,
          WEB_DIR: inject('webDir'),
          DEMO_HISTORY_DAYS: '21',
          DEMO_HISTORY_CASES_PER_DAY: '60',
        },
        // A first embedded start creates PostGIS and seeds the city: minutes on a busy machine.
        600_000,
      ),
      launchBrowser(),
    ]);
  }, 620_000);
  afterAll(async () => {
    await browser?.close();
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    killAll();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows open cases with lights, moving supervisors and evaluation figures within a minute', async () => {
    expect(server.output()).toMatch(/Demo history: 21 days up to now/);
    expect(server.output()).toMatch(/Live simulation: supervisors on patrol/);
    const { page, context, problems } = await openPage(browser, server.url, {
      viewport: { width: 1440, height: 900 },
    });
    await login(page, 'leader');
    await page.waitForURL('**/command');
    await page.locator('[data-testid=city-map][data-ready=true]').waitFor({ timeout: MINUTE });

    // Open cases, with their traffic lights (the history's newest day is written first).
    await expect
      .poll(() => countValue(page, 'count-open'), { timeout: MINUTE, interval: 1000 })
      .toBeGreaterThan(0);
    const lights =
      (await countValue(page, 'count-green')) +
      (await countValue(page, 'count-yellow')) +
      (await countValue(page, 'count-red'));
    expect(lights).toBeGreaterThan(0);

    // Supervisors on duty, whose positions move between two looks.
    const latest = () =>
      page.evaluate(async () => {
        const r = await fetch('/api/v1/patrol/positions/latest?onDuty=true', { credentials: 'same-origin' });
        return (await r.json()) as Latest;
      });
    let first: Latest = { items: [] };
    await expect
      .poll(
        async () => {
          first = await latest();
          return first.items.filter((s) => s.onDuty && s.last).length;
        },
        { timeout: MINUTE, interval: 2000 },
      )
      .toBeGreaterThan(3);
    const where = (l: Latest) =>
      new Map(l.items.filter((s) => s.last).map((s) => [s.user.username, JSON.stringify(s.last?.position)]));
    const before = where(first);
    await expect
      .poll(
        async () => {
          const now = where(await latest());
          return [...now].filter(([u, p]) => before.has(u) && before.get(u) !== p).length;
        },
        { timeout: MINUTE, interval: 3000 },
      )
      .toBeGreaterThan(0);
    await page.getByTestId('supervisors-refresh').click();
    await page.locator('[data-testid^=supervisor-][data-on-duty=true]').first().waitFor({ timeout: 15_000 });

    // New reports keep coming: today's count grows while one watches.
    const today = await countValue(page, 'count-reported-today');
    await expect
      .poll(() => countValue(page, 'count-reported-today'), { timeout: MINUTE, interval: 1000 })
      .toBeGreaterThan(today);
    // …over a map with street and road names (drawn from local fonts; read back from MapLibre).
    const drawn = (layer: string) =>
      page.evaluate<number>(
        `(() => { const m = document.querySelector('[data-testid=city-map]').maplibre; return m ? m.queryRenderedFeatures({ layers: [${JSON.stringify(layer)}] }).length : 0; })()`,
      );
    for (const layer of ['labels-district', 'labels-street', 'roads-label']) {
      await expect.poll(() => drawn(layer), { timeout: MINUTE, interval: 1000 }).toBeGreaterThan(0);
    }
    await page.mouse.move(700, 450);
    await page.waitForTimeout(1500);
    await screenshot(page, 'living-demo-command');

    // The evaluation page opens on a period with figures: ranked rows with scores.
    await page.goto('/evaluation');
    const table = page.getByTestId('results-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor({ timeout: MINUTE });
    const firstRow = (await table.locator('tbody tr.ant-table-row').first().textContent()) ?? '';
    expect(firstRow).toMatch(/\d+\.\d/);
    await screenshot(page, 'living-demo-evaluation');

    // The progress of the history, for the leader, while it is being written (or done).
    const status = await page.evaluate(
      async () =>
        (await (await fetch('/api/v1/demo/status')).json()) as {
          demo: boolean;
          history: { days: number; cases: number; finished: boolean };
          live: { running: boolean; reports: number };
        },
    );
    expect(status.demo).toBe(true);
    expect(status.history.days).toBe(21);
    expect(status.history.cases).toBeGreaterThan(0);
    expect(status.live.running).toBe(true);
    expect(status.live.reports).toBeGreaterThan(0);
    if (!status.history.finished) await page.getByTestId('demo-history-banner').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 600_000);
});
