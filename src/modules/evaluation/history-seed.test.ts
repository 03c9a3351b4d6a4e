/** `cityloop seed --history` writer: counts, workflow validity read back from the store, case numbers after it. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import { type HistoryCase, HistoryChecker, type HistoryEvent } from '../../domain/history/index.js';
import { AppError } from '../../platform/errors.js';
import type { ApiApp } from '../../platform/http/types.js';
import { seedHistory } from '../../seed/history.js';
import { client, fixtures, loginAll } from '../cases/testkit.js';
import { regenerate } from './testkit.js';

const DAY = 86_400_000;

describe.each(testStores())('seed --history writer (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  // Three local days ending now, so the next live report continues today's numbering.
  const now = new Date();
  const options = { from: new Date(now.getTime() - 2 * DAY), days: 3, seed: 11, casesPerDay: 60, until: now };
  let generated: HistoryCase[];

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store);
    generated = regenerate(options);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  it('writes every generated case and event, and refuses to write the range twice', async () => {
    const r = await seedHistory(ts.store, { ...options, chunk: 37 });
    const events = generated.reduce((n, h) => n + h.events.length, 0);
    expect(r.cases).toBe(generated.length);
    expect(r.events).toBe(events);
    const counts = await sql<{ cases: number; events: number }>`
      SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM case_events) AS events`.execute(
      ts.store.db,
    );
    expect(counts.rows[0]).toEqual({ cases: generated.length, events });
    const again = await seedHistory(ts.store, options).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AppError);
    expect((again as AppError).code).toBe('HISTORY_ALREADY_PRESENT');
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(ts.store.db);
    expect(after.rows[0]?.n).toBe(generated.length);
  }, 60_000);

  it('reads back as workflow-valid histories with the same states, merges and projections', async () => {
    const users = await ts.store.db.selectFrom('users').select(['id', 'username']).execute();
    const nameOf = new Map(users.map((u) => [u.id, u.username]));
    const cases = await sql<{
      id: number;
      number: string;
      state: string;
      merged: string | null;
      source: string;
      kind: 'component' | 'event';
      category: string;
      grid_code: string;
      lng: number;
      lat: number;
      reported_at: Date;
      last_seq: number;
    }>`
      SELECT c.id, c.number, c.state, m.number AS merged, c.source, c.kind, cat.code AS category, c.grid_code,
             ST_X(c.location) AS lng, ST_Y(c.location) AS lat, c.reported_at, c.last_seq
      FROM cases c JOIN categories cat ON cat.id = c.category_id LEFT JOIN cases m ON m.id = c.merged_into_id
      ORDER BY c.reported_at, c.id`.execute(ts.store.db);
    const events = await sql<{
      case_id: number;
      seq: number;
      action: string;
      actor_id: number | null;
      actor_role: string;
      from_state: string | null;
      to_state: string;
      reason: string | null;
      payload: Record<string, unknown>;
      at: Date;
    }>`
      SELECT case_id, seq, action, actor_id, actor_role, from_state, to_state, reason, payload, at
      FROM case_events ORDER BY case_id, seq`.execute(ts.store.db);
    const byCase = new Map<number, typeof events.rows>();
    for (const e of events.rows) byCase.set(e.case_id, [...(byCase.get(e.case_id) ?? []), e]);
    // The checker wants generation order: cases of a day by report time, days in order.
    const order = new Map(generated.map((h, i) => [h.case.caseKey, i]));
    const rows = [...cases.rows].sort((a, b) => (order.get(a.number) ?? 0) - (order.get(b.number) ?? 0));
    const checker = new HistoryChecker(generateDemoCity());
    const problems: string[] = [];
    for (const c of rows) {
      let assigned: string | undefined;
      const evs: HistoryEvent[] = (byCase.get(c.id) ?? []).map((e) => {
        const p = e.payload as HistoryEvent['payload'];
        if (p.department) assigned = p.department.code;
        const departmental = e.actor_role === 'department' || e.actor_role === 'handler';
        const ev: HistoryEvent = {
          action: e.action as HistoryEvent['action'],
          actorRole: e.actor_role as HistoryEvent['actorRole'],
          ...(e.actor_id !== null ? { actorUsername: nameOf.get(e.actor_id) as string } : {}),
          ...(departmental && assigned ? { departmentCode: assigned } : {}),
          from: e.from_state as HistoryEvent['from'],
          to: e.to_state as HistoryEvent['to'],
          at: e.at,
          payload: { ...p, ...(e.reason ? { reason: e.reason } : {}) },
        };
        if (e.action === 'return_approve') assigned = undefined;
        return ev;
      });
      expect(evs.map((_, i) => i + 1)).toEqual((byCase.get(c.id) ?? []).map((e) => e.seq));
      expect(c.last_seq).toBe(evs.length);
      expect(c.state).toBe(evs[evs.length - 1]?.to);
      expect(c.merged !== null).toBe(c.state === 'merged');
      const h: HistoryCase = {
        case: {
          caseKey: c.number,
          reportedAt: c.reported_at,
          source: c.source as HistoryCase['case']['source'],
          kind: c.kind,
          categoryCode: c.category,
          gridCode: c.grid_code,
          lng: c.lng,
          lat: c.lat,
          urgency: 'normal',
        },
        events: evs,
      };
      problems.push(...checker.check(h));
    }
    expect(problems).toEqual([]);
    expect(rows.length).toBeGreaterThan(50);
  }, 60_000);

  it('sets the case number counters: the next live report gets the next number', async () => {
    const fx = await fixtures(ts.store);
    const tokens = await loginAll(app);
    const c = client(app, tokens);
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const district = fx.supervised.code.slice(0, 6);
    const series = `${district}-${day.replaceAll('-', '')}-E-`;
    const written = generated
      .map((h) => h.case.caseKey)
      .filter((k) => k.startsWith(series))
      .map((k) => Number(k.slice(series.length)));
    const created = await c.report('supervisor', {
      source: 'supervisor',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '测试地址',
      description: '历史数据之后的新案卷',
    });
    expect(created.number).toBe(`${series}${String(Math.max(0, ...written) + 1).padStart(4, '0')}`);
  }, 60_000);
});
