/**
 * Clock rules on both stores: the API (401 / 403 / 400, history), and what they do to cases —
 * the department's clock from dispatch or from signing, the calendar per step, the limit of
 * the case's urgency, and the sweeper's overdue events for 签收 and 处置.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { deadlineFor } from '../../domain/timelimit/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { stepLimit } from '../cases/repo.js';
import { sweep } from '../cases/sweeper.js';
import { client, expectError, type Fixtures, fixtures, loginAll, type Tokens } from '../cases/testkit.js';
import { loadCalendar } from './repo.js';

describe.each(testStores())('clock rules (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store);
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const report = (urgency = 'normal') =>
    c.report('supervisor', {
      source: 'supervisor',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '时限规则测试',
      description: '时限规则测试',
      urgency,
    });
  /** Reported, taken in, filed and dispatched to 道路养护所 (SZ-01): the 签收 step is running. */
  async function dispatched(urgency = 'normal') {
    const k = await report(urgency);
    await c.ok('intake', k.id, 'intake');
    await c.ok('shiftlead', k.id, 'file');
    return c.ok('dispatcher', k.id, 'dispatch', { departmentCode: 'SZ-01' });
  }
  /** Moves the running step `hours` into the past, as if it had started that long ago. */
  async function age(id: number, hours: number) {
    await sql`UPDATE cases SET step_started_at = step_started_at - make_interval(hours => ${hours}),
      step_deadline = step_deadline - make_interval(hours => ${hours}),
      step_yellow_at = step_yellow_at - make_interval(hours => ${hours}) WHERE id = ${id}`.execute(
      ts.store.db,
    );
  }
  const rules = (user: 'admin' | 'dispatcher' | 'dept', body?: unknown) =>
    body === undefined
      ? c.call(user, 'GET', '/api/v1/clock-rules')
      : c.call(user, 'PUT', '/api/v1/clock-rules', body);
  const history = async () =>
    Number(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM clock_rules`.execute(ts.store.db)).rows[0]?.n,
    );

  it('starts with the standard: department clock from dispatch, centre steps on the centre calendar', async () => {
    expect((await app.inject({ url: '/api/v1/clock-rules' })).statusCode).toBe(401);
    const res = await rules('dispatcher');
    expect(res.statusCode).toBe(200);
    expect(res.json().current).toMatchObject({
      departmentClockFrom: 'dispatch',
      stepCalendars: {
        intake: 'centre',
        dispatch: 'centre',
        close: 'centre',
        verify: 'supervision',
        handle: 'office',
      },
    });
    expect(res.json().calendars.map((x: { id: string }) => x.id)).toEqual([
      'centre',
      'office',
      'supervision',
    ]);
  });

  it('refuses changes from non-admins and bad rules, with nothing written', async () => {
    const before = await history();
    expect((await app.inject({ method: 'PUT', url: '/api/v1/clock-rules', payload: {} })).statusCode).toBe(
      401,
    );
    expectError(await rules('dispatcher', { departmentClockFrom: 'sign' }), 403, 'FORBIDDEN');
    expectError(await rules('admin', {}), 400, 'VALIDATION_FAILED');
    expectError(await rules('admin', { departmentClockFrom: 'feedback' }), 400, 'VALIDATION_FAILED');
    expectError(await rules('admin', { stepCalendars: { sweep: 'office' } }), 400, 'VALIDATION_FAILED');
    const unknown = await rules('admin', { stepCalendars: { handle: 'night-shift' } });
    expectError(unknown, 400, 'CLOCK_RULES_INVALID');
    expect(unknown.json().error.messages).toEqual({
      zh: '工作日历不存在：handle → night-shift',
      en: 'No such working calendar: handle → night-shift',
    });
    expect(await history()).toBe(before);
  });

  it('a late 签收 is late and gives no time back: 处置 counts from the dispatch', async () => {
    const d = await dispatched();
    expect(d.clock).toMatchObject({ step: 'sign', calendarId: 'office' });
    await age(d.id, 72);
    const dispatchedAt = new Date(new Date(d.clock.startedAt).getTime() - 72 * 3_600_000);
    const signed = await c.ok('dept', d.id, 'sign');
    expect(signed.clock.step).toBe('handle');
    expect(signed.clock.startedAt).toBe(dispatchedAt.toISOString());
    expect(signed.clock.limit).toMatchObject({ urgency: 'normal', countedFrom: 'dispatch' });
    const limit = await stepLimit(ts.store.db, {
      versionId: signed.standardVersionId,
      categoryId: fx.category.id,
      step: 'handle',
      areaClass: signed.areaClass,
      urgency: 'normal',
    });
    const office = await loadCalendar(ts.store.db, 'office');
    if (!limit || !office) throw new Error('no handle limit or office calendar');
    expect(signed.clock.deadline).toBe(deadlineFor(office, dispatchedAt, limit.limit).toISOString());
    const events = (await c.call('admin', 'GET', `/api/v1/cases/${d.id}/events`)).json().items;
    const sign = events.find((e: { action: string }) => e.action === 'sign');
    expect(sign.payload.steps).toEqual([expect.objectContaining({ step: 'sign', late: true })]);
  });

  it('under the rule "from signing" (changed by an admin, kept in the history) 处置 counts from signing', async () => {
    const changed = await rules('admin', { departmentClockFrom: 'sign', note: '本市按签收起算' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().current.departmentClockFrom).toBe('sign');
    expect(changed.json().history.map((h: { departmentClockFrom: string }) => h.departmentClockFrom)).toEqual(
      ['sign', 'dispatch'],
    );
    expect(changed.json().history[0]).toMatchObject({
      note: '本市按签收起算',
      createdBy: { name: expect.any(String) },
    });
    const d = await dispatched();
    await age(d.id, 72);
    const before = Date.now();
    const signed = await c.ok('dept', d.id, 'sign');
    expect(new Date(signed.clock.startedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(signed.clock.limit.countedFrom).toBeUndefined();
    const audit = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'clock_rules.update'`.execute(ts.store.db);
    expect(audit.rows[0]?.n).toBe(1);
    expect((await rules('admin', { departmentClockFrom: 'dispatch' })).statusCode).toBe(200);
  });

  it('a step starts on the calendar the rules give it at that moment', async () => {
    expect(
      (await rules('admin', { stepCalendars: { intake: 'office' } })).json().current.stepCalendars.intake,
    ).toBe('office');
    expect((await report()).clock.calendarId).toBe('office');
    await rules('admin', { stepCalendars: { intake: 'centre' } });
    expect((await report()).clock.calendarId).toBe('centre');
  });

  it('an urgent case runs on the urgent limits of the table; the sweeper marks its 签收 overdue', async () => {
    const urgent = await report('urgent');
    const normal = await report('normal');
    expect(urgent.urgency).toBe('urgent');
    const limitOf = (urgency: 'normal' | 'urgent', step: 'intake' | 'sign') =>
      stepLimit(ts.store.db, {
        versionId: urgent.standardVersionId,
        categoryId: fx.category.id,
        step,
        areaClass: urgent.areaClass,
        urgency,
      });
    const [u, n] = [await limitOf('urgent', 'intake'), await limitOf('normal', 'intake')];
    expect(u?.urgency).toBe('urgent');
    expect(u?.limit).not.toEqual(n?.limit);
    expect(urgent.clock.limit).toEqual({ ...u?.limit, urgency: 'urgent' });
    expect(normal.clock.limit).toEqual({ ...n?.limit, urgency: 'normal' });
    expect(urgent.clock.deadline < normal.clock.deadline).toBe(true);

    const d = await dispatched('urgent');
    const sign = await limitOf('urgent', 'sign');
    expect(d.clock.limit).toEqual({ ...sign?.limit, urgency: 'urgent' });
    await age(d.id, 24);
    const swept = await sweep(ts.store);
    expect(swept.overdueEvents).toBeGreaterThanOrEqual(1);
    const after = (await c.call('admin', 'GET', `/api/v1/cases/${d.id}`)).json();
    expect(after.clock).toMatchObject({ step: 'sign', light: 'red' });
    const events = (await c.call('admin', 'GET', `/api/v1/cases/${d.id}/events`)).json().items;
    expect(
      events
        .filter((e: { action: string }) => e.action === 'overdue')
        .map((e: { payload: { step: string } }) => e.payload.step),
    ).toEqual(['sign']);
  });

  it('a 处置 already run out when signed late gets its own overdue event from the sweeper', async () => {
    const d = await dispatched();
    await age(d.id, 24 * 30);
    const signed = await c.ok('dept', d.id, 'sign');
    expect(new Date(signed.clock.deadline).getTime()).toBeLessThan(Date.now());
    await sweep(ts.store);
    const after = (await c.call('admin', 'GET', `/api/v1/cases/${d.id}`)).json();
    expect(after.clock).toMatchObject({ step: 'handle', light: 'red' });
    const events = (await c.call('admin', 'GET', `/api/v1/cases/${d.id}/events`)).json().items;
    const overdue = events.filter((e: { action: string }) => e.action === 'overdue');
    // The 签收 step ended (late) at the signing; the 处置 step ran out before it began.
    expect(overdue.map((e: { payload: { step: string } }) => e.payload.step)).toEqual(['handle']);
  });
});
