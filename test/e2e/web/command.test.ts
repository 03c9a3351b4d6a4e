/**
 * The command view in a real browser: the leader lands on it, the map renders (WebGL through
 * SwiftShader), live counts follow a case created through the API without a reload, a
 * supervisor's new fix shows up, the heat layer and a filter change what the map asks for.
 */
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeScheme } from '../../../src/modules/catalog/scheme.js';
import { bearer } from '../../helpers/app.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

interface Point {
  code: string;
  lng: number;
  lat: number;
}

const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));

/**
 * Where a point lies on screen once the map shows `bounds` (fitBounds, 24 px padding): the map
 * is Web Mercator, scaled to fit the tighter side and centred.
 */
function screenPoint(
  box: { x: number; y: number; width: number; height: number },
  [w, s, e, n]: [number, number, number, number],
  lng: number,
  lat: number,
) {
  const rad = Math.PI / 180;
  const scale = Math.min(
    (box.width - 48) / ((e - w) * rad),
    (box.height - 48) / (mercatorY(n) - mercatorY(s)),
  );
  return {
    x: box.x + box.width / 2 + (lng - (w + e) / 2) * rad * scale,
    y: box.y + box.height / 2 - (mercatorY(lat) - (mercatorY(n) + mercatorY(s)) / 2) * scale,
  };
}

/** The number a count tile of the side panel shows (its data-value). */
const countOf = async (page: Page, key: string) =>
  Number(await page.getByTestId(`count-${key}`).getAttribute('data-value'));

describe('command view', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let points: Point[];
  let categoryCode: string;
  const reported: { id: number; number: string }[] = [];
  const auth: Record<string, { authorization: string }> = {};

  const call = async (user: string, method: 'GET' | 'POST', url: string, payload?: object) => {
    auth[user] ??= await bearer(server.app, user);
    const res = await server.app.inject({
      method,
      url,
      headers: auth[user],
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };
  const report = (p: Point, i: number) =>
    call('intake', 'POST', '/api/v1/cases', {
      source: 'hotline_12345',
      kind: 'event',
      categoryCode,
      lng: p.lng,
      lat: p.lat,
      address: `锦江区测试地址 ${i}`,
      description: `市民来电反映问题 ${i}`,
    });

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
    const db = server.test.store.db;
    // Points in separate 锦江区 grids (the intake operator's district), spread over the district.
    const r = await sql<Point>`
      SELECT code, ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat
      FROM grids WHERE code LIKE '510104%' AND valid_to IS NULL ORDER BY md5(code) LIMIT 13`.execute(db);
    points = r.rows;
    const cat = await sql<{ code: string }>`
      SELECT code FROM categories WHERE scheme = ${activeScheme()} AND kind = 'event' AND level = 'minor'
        AND active ORDER BY code LIMIT 1`.execute(db);
    categoryCode = cat.rows[0]!.code;
    for (const [i, p] of points.slice(0, 12).entries()) {
      const c = await report(p, i);
      reported.push({ id: c.id, number: c.number });
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('leader: live map, counts without reload, supervisors, heat and filters', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'leader');
    await page.waitForURL('**/command');
    // WebGL works headless (SwiftShader): the map's load event sets data-ready.
    await page.locator('[data-testid=city-map][data-ready=true]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=live-indicator][data-state=live]').waitFor({ timeout: 15_000 });
    await page.getByTestId('command-chart').waitFor();
    expect(await countOf(page, 'open')).toBe(12);
    expect(await countOf(page, 'reported-today')).toBe(12);

    // A marker that a reload would wipe out.
    await page.evaluate(() => {
      (globalThis as { __noReload?: boolean }).__noReload = true;
    });

    // A supervisor goes on duty and sends a fix; the list picks it up on refresh.
    const supervised = await sql<Point>`
      SELECT g.code, ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat
      FROM grids g JOIN supervisor_grids sg ON sg.grid_code = g.code JOIN users u ON u.id = sg.user_id
      WHERE u.username = 'supervisor' ORDER BY g.code LIMIT 1`.execute(server.test.store.db);
    const fix = supervised.rows[0]!;
    await call('supervisor', 'POST', '/api/v1/patrol/duty', { on: true });
    await call('supervisor', 'POST', '/api/v1/patrol/positions', {
      positions: [{ at: new Date().toISOString(), lng: fix.lng, lat: fix.lat }],
    });

    // A new case through the API: the panel's numbers move and the case tiles are re-fetched.
    const refetched = page.waitForRequest((r) => /\/map\/tiles\/cases\/.*[?&]rev=/.test(r.url()), {
      timeout: 15_000,
    });
    const created = await report(points[12]!, 12);
    await page.locator('[data-testid=count-open][data-value="13"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=count-reported-today][data-value="13"]').waitFor();
    await refetched;
    await expect(page.getByTestId('last-case').textContent()).resolves.toContain(created.number);
    expect(await page.evaluate(() => (globalThis as { __noReload?: boolean }).__noReload)).toBe(true);

    // Grid heat: counts per grid joined onto the boundary tiles.
    const heat = page.waitForResponse((r) => r.url().includes('/api/v1/map/heat/grids'));
    await page.getByTestId('heat-toggle').click();
    const heatBody = (await (await heat).json()) as { total: number; counts: Record<string, number> };
    expect(heatBody.total).toBe(13);
    expect(Object.keys(heatBody.counts).sort()).toEqual(points.map((p) => p.code).sort());
    await page.locator('[data-testid=heat-legend][data-total="13"]').waitFor();
    await page.mouse.move(600, 400);
    await page.waitForTimeout(1500);
    await screenshot(page, 'command-heat');

    // A light filter rebuilds the tile URL; the heat follows the same filter.
    const filtered = page.waitForRequest((r) => /\/map\/tiles\/cases\/.*light=red/.test(r.url()));
    const filteredHeat = page.waitForResponse((r) => /\/map\/heat\/grids\?.*light=red/.test(r.url()));
    await page.getByTestId('filter-light').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '红灯' }).click();
    await page.keyboard.press('Escape');
    await filtered;
    expect(((await (await filteredHeat).json()) as { total: number }).total).toBe(0);
    await expect(page.locator('.command-map').getAttribute('data-tiles')).resolves.toMatch(
      /^light=red(&rev=[0-9a-z]+)?$/,
    );
    await page.getByTestId('filters-reset').click();
    await page.getByTestId('heat-toggle').click();
    await expect(page.locator('.command-map').getAttribute('data-heat')).resolves.toBe('off');

    await page.getByTestId('supervisors-refresh').click();
    const entry = page.locator('[data-testid=supervisor-supervisor][data-on-duty=true]');
    await entry.waitFor({ timeout: 10_000 });
    await expect(entry.textContent()).resolves.toMatch(/在岗.*0 分钟前定位/);
    // The list entry flies the map to the marker and opens its popup.
    await entry.click();
    await page.getByTestId('popup-supervisor').waitFor();
    await expect(page.getByTestId('popup-supervisor').textContent()).resolves.toContain('在岗');
    await page.locator('.maplibregl-popup-close-button').click();
    // Back to the whole city for the picture.
    await page.getByTestId('fit-city').click();
    await page.mouse.move(600, 400);
    await page.waitForTimeout(2000);
    await screenshot(page, 'command-leader');

    // Clicking a cluster tells its count and zooms in two levels; there the case is a point
    // whose popup links to the case.
    const box = (await page.getByTestId('city-map').boundingBox())!;
    const { bounds } = (await call('leader', 'GET', '/api/v1/client-config')).map;
    // The case farthest from all others is a cluster of one, drawn right on it.
    const distance = (a: Point, b: Point) => Math.hypot(a.lng - b.lng, a.lat - b.lat);
    const isolation = (i: number) =>
      Math.min(...points.filter((_, j) => j !== i).map((q) => distance(points[i]!, q)));
    const lone = [...reported.keys()].sort((a, b) => isolation(b) - isolation(a))[0]!;
    const at = screenPoint(box, bounds, points[lone]!.lng, points[lone]!.lat);
    await page.mouse.click(at.x, at.y);
    await page.getByTestId('popup-cluster').waitFor();
    await expect(page.getByTestId('popup-cluster').textContent()).resolves.toContain('1 件在办案卷');
    await page.waitForTimeout(1500);
    // The click point became the centre and everything around it grew fourfold.
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('popup-case').waitFor();
    await expect(page.getByTestId('popup-case').textContent()).resolves.toContain(reported[lone]!.number);
    await expect(page.getByTestId('popup-case-link').getAttribute('href')).resolves.toBe(
      `/cases/${reported[lone]!.id}`,
    );
    await screenshot(page, 'command-case-popup');

    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
