/**
 * Forecasts over HTTP on both stores: ten weeks of a street's 市容环境 cases (12 on workdays, 6 at
 * weekends, a fixed wobble) are written as cases and their evaluation facts; a run (a background
 * job, Prophet in worker threads) forecasts every series, each showing Prophet only where it
 * beat the baseline; a normal day raises nothing, a planted spike is raised once with the cases
 * behind it and told to the district's subscribed channel only; the asker's area bounds it all;
 * every endpoint answers 401/403/400/404 as documented.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { jobAnswer } from '../../../test/helpers/jobs.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import { addDays, dayRange } from '../../domain/forecast/days.js';
import type { ApiApp } from '../../platform/http/types.js';

const city = generateDemoCity();
const GRID = city.grids.find((g) => g.code.startsWith('510104'))!.code;
const STREET = GRID.slice(0, 9);
const DISTRICT = GRID.slice(0, 6);
/** The day checked: Wednesday 25 Nov 2026; the history is the 70 days before it. */
const D = '2026-11-25';
const AS_OF = addDays(D, -1);
const HISTORY = dayRange(addDays(D, -70), 70);
// Five days long: not a weekly pattern, so last week's same weekday is not exact.
const WOBBLE = [0, 2, -1, 3, -2];

function normalCount(day: string, i: number): number {
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
  return (wd === 0 || wd === 6 ? 6 : 12) + (WOBBLE[i % 5] as number);
}

let serial = 0;
/** `n` cases of the street on `day` (10:00 onwards, a minute apart), with their facts rows. */
async function plant(ts: TestStore, day: string, n: number) {
  if (n <= 0) return;
  const first = serial + 1;
  serial += n;
  const [w, s] = city.grids.find((g) => g.code === GRID)!.ring[0] as [number, number];
  await sql`
    INSERT INTO cases (number, source, kind, category_id, grid_code, community_code, street_code, district_code,
      area_class, location, address, description, reporter_role, state, reported_at)
    SELECT ${DISTRICT} || '-' || ${day.replaceAll('-', '')} || '-E-' || lpad(k::text, 5, '0'), 'supervisor', 'event',
      (SELECT min(id) FROM categories WHERE kind = 'event' AND level = 'minor' AND code LIKE '01%'),
      ${GRID}, ${GRID.slice(0, 12)}, ${STREET}, ${DISTRICT}, 'B',
      ST_SetSRID(ST_MakePoint(${w + 0.0001}, ${s + 0.0001}), 4326), '预测测试地址', '预测测试案卷', 'supervisor', 'filed',
      ${`${day}T10:00:00+08:00`}::timestamptz + make_interval(mins => k - ${first})
    FROM generate_series(${first}::int, ${serial}::int) AS k`.execute(ts.store.db);
  await sql`
    INSERT INTO eval_case_facts (case_id, reported_at, source, kind, category_id, category_code, area_class, grid_code,
      community_code, street_code, district_code, last_seq, last_at, state, running)
    SELECT c.id, c.reported_at, c.source, c.kind, c.category_id, g.code, c.area_class, c.grid_code, c.community_code,
      c.street_code, c.district_code, 1, c.reported_at, c.state, '{}'
    FROM cases c JOIN categories g ON g.id = c.category_id
    WHERE c.description = '预测测试案卷' AND NOT EXISTS (SELECT 1 FROM eval_case_facts f WHERE f.case_id = c.id)`.execute(
    ts.store.db,
  );
}

describe.each(testStores())('forecasts and anomaly alerts (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let leader: { authorization: string };
  let shiftlead: { authorization: string };
  let category: string;

  beforeAll(async () => {
    ts = await openTestStore(kind);
    for (const [i, day] of HISTORY.entries()) await plant(ts, day, normalCount(day, i));
    category = `event:${(
      await sql<{ code: string }>`SELECT code FROM categories WHERE id =
        (SELECT min(id) FROM categories WHERE kind = 'event' AND level = 'minor' AND code LIKE '01%')`.execute(
        ts.store.db,
      )
    ).rows[0]!.code.slice(0, 2)}`;
    await sql`INSERT INTO notify_channels (name, kind, phones, event_types, district_codes) VALUES
      ('锦江值班长', 'sms', '{13800000001}', '{forecast.anomaly}', '{510104}'),
      ('青羊值班长', 'sms', '{13800000002}', '{forecast.anomaly}', '{510105}'),
      ('日报', 'sms', '{13800000003}', '{}', '{}')`.execute(ts.store.db);
    app = await testApp(ts.store);
    leader = await bearer(app, 'leader');
    shiftlead = await bearer(app, 'shiftlead');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const get = (url: string, headers?: Record<string, string>) => app.inject({ method: 'GET', url, headers });
  const post = (url: string, payload: unknown, headers?: Record<string, string>) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers });
  const q = (path: string, params: Record<string, string | number> = {}) =>
    `/api/v1/analytics/${path}?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`;

  it('a run forecasts every busy series, Prophet shown only where it beats the baseline', async () => {
    const res = await post(
      '/api/v1/analytics/forecasts/runs',
      { asOf: AS_OF, historyDays: 120, minMean: 3 },
      leader,
    );
    expect(res.statusCode, res.body).toBe(202);
    const done = await jobAnswer(app, leader, res);
    expect(done.statusCode, done.body).toBe(200);
    // One street holds every case: its category and all categories, in the street, district and city.
    expect(done.json()).toMatchObject({ asOf: AS_OF, days: 70, series: 6 });

    const list = await get(q('forecasts'), leader);
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items;
    expect(
      items.map((i: { categoryKey: string; areaCode: string }) => `${i.categoryKey}|${i.areaCode}`).sort(),
    ).toEqual(
      [
        `*|*`,
        `*|${DISTRICT}`,
        `*|${STREET}`,
        `${category}|*`,
        `${category}|${DISTRICT}`,
        `${category}|${STREET}`,
      ].sort(),
    );
    for (const i of items) {
      const { model, baseline } = i.backtest;
      expect(baseline.mase).toBeGreaterThan(0);
      expect(model.mase).toBeGreaterThan(0);
      expect(i.method).toBe(model.mase < baseline.mase ? 'prophet' : 'baseline');
      expect(i.reason).toBe(i.method === 'prophet' ? 'beats-baseline' : 'not-better');
      expect(i.reasonText.en).toBeTruthy();
      expect(i.weeks).toHaveLength(4);
      expect(i.asOf).toBe(AS_OF);
    }
    expect(items.find((i: { areaCode: string }) => i.areaCode === STREET).areaName).toBeTruthy();

    const detail = await get(
      q('forecasts/series', { categoryKey: category, areaCode: STREET, days: 14 }),
      leader,
    );
    expect(detail.statusCode, detail.body).toBe(200);
    const body = detail.json();
    expect(body.actual).toHaveLength(14);
    expect(body.actual[0]).toEqual({
      day: addDays(AS_OF, -13),
      n: normalCount(addDays(AS_OF, -13), 70 - 14),
    });
    expect(body.bands[0].day).toBe(D);
    expect(body.bands).toHaveLength(28);
    for (const b of body.bands) expect(b.lower <= b.point && b.point <= b.upper).toBe(true);
  }, 180_000);

  it('a normal day raises nothing; a planted spike is raised once, with its cases, to its district', async () => {
    await plant(ts, D, 12);
    const normal = await post('/api/v1/analytics/forecasts/alerts/check', { day: D }, leader);
    expect(normal.statusCode, normal.body).toBe(200);
    expect(normal.json()).toEqual({ day: D, raised: [] });

    await plant(ts, D, 40);
    const spike = await post('/api/v1/analytics/forecasts/alerts/check', { day: D }, leader);
    expect(spike.statusCode, spike.body).toBe(200);
    const raised = spike.json().raised;
    const street = raised.find(
      (a: { categoryKey: string; areaCode: string }) => a.categoryKey === category && a.areaCode === STREET,
    );
    expect(street).toMatchObject({ day: D, actual: 52, notified: 1 });
    expect(street.caseIds).toHaveLength(52);
    expect(street.upper).toBeLessThan(52);
    // The city-wide series have no district: only a channel naming no district would take them.
    const city = raised.find((a: { areaCode: string }) => a.areaCode === '*');
    expect(city.notified).toBe(0);

    const again = await post('/api/v1/analytics/forecasts/alerts/check', { day: D }, leader);
    expect(again.json().raised).toEqual([]);

    const log = await sql<{ channel: string; subject: string; body: string; outcome: string }>`
      SELECT c.name AS channel, l.subject, l.body, l.outcome FROM notify_log l JOIN notify_channels c ON c.id = l.channel_id
      ORDER BY l.id`.execute(ts.store.db);
    expect(log.rows.length).toBe(raised.filter((a: { areaCode: string }) => a.areaCode !== '*').length);
    expect(new Set(log.rows.map((r) => r.channel))).toEqual(new Set(['锦江值班长']));
    expect(log.rows.every((r) => r.outcome === 'logged' && r.subject.startsWith('forecast.anomaly:'))).toBe(
      true,
    );
    expect(
      log.rows.some(
        (r) => r.body.includes('已上报 52 件') && r.body.includes(`${DISTRICT}-${D.replaceAll('-', '')}-E-`),
      ),
    ).toBe(true);

    const alerts = await get(
      q('forecasts/alerts', { from: D, to: D, categoryKey: category, areaCode: STREET }),
      leader,
    );
    expect(alerts.statusCode, alerts.body).toBe(200);
    expect(alerts.json()).toMatchObject({ total: 1, nextOffset: null });
    const a = alerts.json().items[0];
    expect(a.cases).toHaveLength(52);
    expect(a.cases.every((c: { number: string }) => c.number.startsWith(`${DISTRICT}-20261125-E-`))).toBe(
      true,
    );
  });

  it("a district shift leader sees his district's series and alerts only", async () => {
    const list = await get(q('forecasts'), shiftlead);
    expect(list.statusCode, list.body).toBe(200);
    const areas = new Set(list.json().items.map((i: { areaCode: string }) => i.areaCode));
    expect(areas).toEqual(new Set([DISTRICT, STREET]));
    const alerts = await get(q('forecasts/alerts'), shiftlead);
    expect(alerts.json().items.every((i: { areaCode: string }) => i.areaCode.startsWith(DISTRICT))).toBe(
      true,
    );
    expect(alerts.json().total).toBeGreaterThan(0);
    expectError(await get(q('forecasts', { areaCode: '510105' }), shiftlead), 404, 'NOT_FOUND');
    expectError(
      await get(q('forecasts/series', { categoryKey: '*', areaCode: '*' }), shiftlead),
      404,
      'NOT_FOUND',
    );
    expectError(
      await get(q('forecasts/series', { categoryKey: 'component:06', areaCode: DISTRICT }), shiftlead),
      404,
      'NOT_FOUND',
    );
  });

  it('401 without login, 403 without evaluation.read', async () => {
    const supervisor = await bearer(app, 'supervisor');
    const calls: [string, string, unknown][] = [
      ['GET', q('forecasts'), undefined],
      ['GET', q('forecasts/series', { categoryKey: '*', areaCode: '*' }), undefined],
      ['GET', q('forecasts/alerts'), undefined],
      ['POST', '/api/v1/analytics/forecasts/runs', {}],
      ['POST', '/api/v1/analytics/forecasts/alerts/check', { day: D }],
    ];
    for (const [method, url, payload] of calls) {
      const inject = (headers?: Record<string, string>) =>
        app.inject({
          method: method as 'GET' | 'POST',
          url,
          headers,
          ...(payload ? { payload: payload as object } : {}),
        });
      expectError(await inject(), 401, 'UNAUTHENTICATED');
      expectError(await inject(supervisor), 403, 'FORBIDDEN');
    }
  });

  it('400 on bad input, nothing changed', async () => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM forecast_alerts`.execute(
      ts.store.db,
    );
    const bad: [string, string, unknown][] = [
      ['GET', q('forecasts', { categoryKey: 'event:1' }), undefined],
      ['GET', q('forecasts', { areaCode: '5101' }), undefined],
      ['GET', q('forecasts', { method: 'arima' }), undefined],
      ['GET', q('forecasts/series', { categoryKey: '*' }), undefined],
      ['GET', q('forecasts/series', { categoryKey: '*', areaCode: '*', days: 2 }), undefined],
      ['GET', q('forecasts/alerts', { from: D, to: AS_OF }), undefined],
      ['GET', q('forecasts/alerts', { limit: 0 }), undefined],
      ['POST', '/api/v1/analytics/forecasts/runs', { historyDays: 5 }],
      ['POST', '/api/v1/analytics/forecasts/runs', { asOf: '2026-13-01' }],
      ['POST', '/api/v1/analytics/forecasts/runs', { model: 'arima' }],
      ['POST', '/api/v1/analytics/forecasts/alerts/check', { day: 'yesterday' }],
    ];
    for (const [method, url, payload] of bad) {
      const res = await app.inject({
        method: method as 'GET' | 'POST',
        url,
        headers: leader,
        ...(payload ? { payload: payload as object } : {}),
      });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM forecast_alerts`.execute(
      ts.store.db,
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});
