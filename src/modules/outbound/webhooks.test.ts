/**
 * Webhooks against a real HTTP receiver (node:http in the test): signed deliveries of case
 * events, filters, order per case, the receiver down then up, dead letters and redelivery, and
 * an outbox that is written in — and rolled back with — the transaction of the case event.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, type Fixtures, fixtures, loginAll, type Tokens } from '../cases/testkit.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: {
    deliveryId: string;
    event: string;
    case: { number: string; seq: number; districtCode: string; state: string };
  };
}

/** A receiver that answers 200, or 503 while `failing`; stop() closes it (connection refused). */
async function receiver(port = 0) {
  const got: Received[] = [];
  const state = { failing: false };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (state.failing) {
        res.writeHead(503).end();
        return;
      }
      got.push({ headers: req.headers, body, json: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const actual = (server.address() as AddressInfo).port;
  return {
    got,
    state,
    port: actual,
    url: `http://127.0.0.1:${actual}/hook`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Waits until `check` holds (the worker runs in the background); fails after a long bound. */
async function until(check: () => Promise<boolean> | boolean, what: string) {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never happened: ${what}`);
}

function verified(r: Received, secret: string): boolean {
  const ts = String(r.headers['x-cityloop-timestamp']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex')}`;
  const given = String(r.headers['x-cityloop-signature']);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

describe.each(testStores())('webhooks (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store, { WEBHOOK_POLL_MS: '25', WEBHOOK_RETRY_BASE_MS: '25' });
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const subscribe = async (body: Record<string, unknown>) => {
    const res = await c.call('admin', 'POST', '/api/v1/webhooks', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; secret: string };
  };
  const report = (at: { lng: number; lat: number } = fx.supervised) =>
    c.report('intake', {
      source: 'hotline_12345',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: at.lng,
      lat: at.lat,
      address: '热线地址',
      description: '市民来电反映问题',
      reporterName: '王五',
      reporterPhone: '13900139000',
    });
  const pause = (id: number) => c.call('admin', 'PATCH', `/api/v1/webhooks/${id}`, { active: false });

  it('is managed by admins only, with clear errors', async () => {
    const body = { name: '区网格平台', url: 'http://127.0.0.1:1/hook' };
    expectError(
      await app.inject({ method: 'POST', url: '/api/v1/webhooks', payload: body }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(await c.call('intake', 'POST', '/api/v1/webhooks', body), 403, 'FORBIDDEN');
    expectError(
      await c.call('admin', 'POST', '/api/v1/webhooks', { ...body, url: 'ftp://x' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await c.call('admin', 'POST', '/api/v1/webhooks', { ...body, eventTypes: ['explode'] }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await c.call('admin', 'PATCH', '/api/v1/webhooks/99999', { active: false }),
      404,
      'WEBHOOK_SUBSCRIPTION_UNKNOWN',
    );
    const none = await sql<{ n: number }>`SELECT count(*)::int AS n FROM webhook_subscriptions`.execute(
      ts.store.db,
    );
    expect(none.rows[0]?.n).toBe(0);
  });

  it('delivers signed case events in order, filtered, without personal data', async () => {
    const rx = await receiver();
    const all = await subscribe({ name: '全部事件', url: rx.url });
    const other = await receiver();
    const filtered = await subscribe({
      name: '只要派发核实',
      url: other.url,
      eventTypes: ['request_verification'],
      districtCodes: [fx.supervised.code.slice(0, 6)],
      categoryCodes: [fx.category.code],
    });
    const elsewhere = await subscribe({ name: '别区', url: other.url, districtCodes: ['510105'] });
    const a = await report();
    const b = await report(fx.sameDistrictOther);
    await c.ok('intake', a.id, 'request_verification');
    await c.ok('intake', b.id, 'request_verification');
    await until(() => rx.got.length >= 4, 'four deliveries');
    await until(() => other.got.length >= 2, 'two filtered deliveries');
    const of = (n: string) =>
      rx.got.filter((r) => r.json.case.number === n).map((r) => [r.json.event, r.json.case.seq]);
    expect(of(a.number)).toEqual([
      ['report', 1],
      ['request_verification', 2],
    ]);
    expect(of(b.number)).toEqual([
      ['report', 1],
      ['request_verification', 2],
    ]);
    expect(rx.got.every((r) => verified(r, all.secret))).toBe(true);
    expect(rx.got.some((r) => verified(r, filtered.secret))).toBe(false);
    expect(rx.got.every((r) => r.headers['x-cityloop-delivery'] === r.json.deliveryId)).toBe(true);
    expect(rx.got.some((r) => r.body.includes('13900139000') || r.body.includes('王五'))).toBe(false);
    expect(other.got.map((r) => [r.json.event, r.json.case.number]).sort()).toEqual(
      [
        ['request_verification', a.number],
        ['request_verification', b.number],
      ].sort(),
    );
    // The outbox is filled when the event is appended: nothing was ever queued for the other district.
    const queued = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = ${elsewhere.id}`.execute(
      ts.store.db,
    );
    expect(queued.rows[0]?.n).toBe(0);
    await pause(elsewhere.id);
    await pause(all.id);
    await pause(filtered.id);
    await rx.stop();
    await other.stop();
  });

  it('keeps what happened while the receiver was down, and delivers it in order once it is up', async () => {
    const first = await receiver();
    const port = first.port;
    await first.stop();
    const sub = await subscribe({ name: '暂时离线', url: `http://127.0.0.1:${port}/hook`, maxAttempts: 50 });
    const a = await report();
    const b = await report();
    await c.ok('intake', a.id, 'request_verification');
    await c.ok('shiftlead', b.id, 'reject', { reason: '重复' });
    const attempted = async () => {
      const r = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = ${sub.id} AND attempts >= 2`.execute(
        ts.store.db,
      );
      return (r.rows[0]?.n ?? 0) >= 2;
    };
    await until(attempted, 'retries while the receiver is down');
    const waiting = await c.call('admin', 'GET', `/api/v1/webhooks/${sub.id}/deliveries?state=pending`);
    expect(waiting.json()).toHaveLength(4);
    expect(
      waiting
        .json()
        .some((d: { lastError: string | null }) => /ECONNREFUSED|fetch failed/.test(d.lastError ?? '')),
    ).toBe(true);
    const back = await receiver(port);
    await until(() => back.got.length >= 4, 'all four delivered after the receiver came back');
    const seqs = (n: string) => back.got.filter((r) => r.json.case.number === n).map((r) => r.json.case.seq);
    expect(seqs(a.number)).toEqual([1, 2]);
    expect(seqs(b.number)).toEqual([1, 2]);
    expect(back.got.every((r) => verified(r, sub.secret))).toBe(true);
    await pause(sub.id);
    await back.stop();
  });

  it('dead-letters after max attempts, and redelivers from the console', async () => {
    const gone = await receiver();
    await gone.stop();
    const sub = await subscribe({ name: '死信', url: gone.url, maxAttempts: 2, eventTypes: ['report'] });
    const a = await report();
    const dead = async () =>
      (await c.call('admin', 'GET', `/api/v1/webhooks/${sub.id}/deliveries?state=dead`)).json() as Array<{
        id: string;
        caseNumber: string;
        attempts: number;
      }>;
    await until(async () => (await dead()).length === 1, 'a dead letter');
    const [letter] = await dead();
    expect(letter).toMatchObject({ caseNumber: a.number, attempts: 2 });
    const list = await c.call('admin', 'GET', '/api/v1/webhooks');
    expect(list.json().find((s: { id: number }) => s.id === sub.id)).toMatchObject({ dead: 1, pending: 0 });
    expect(list.body).not.toContain(sub.secret);

    const rx = await receiver();
    await c.call('admin', 'PATCH', `/api/v1/webhooks/${sub.id}`, { url: rx.url });
    expectError(
      await c.call('intake', 'POST', '/api/v1/webhooks/redeliver', { ids: [letter?.id] }),
      403,
      'FORBIDDEN',
    );
    const again = await c.call('admin', 'POST', '/api/v1/webhooks/redeliver', { ids: [letter?.id] });
    expect(again.json()).toEqual({ redelivered: 1 });
    await until(() => rx.got.length === 1, 'the redelivered letter');
    expect(rx.got[0]?.json).toMatchObject({ event: 'report', case: { number: a.number } });
    expectError(
      await c.call('admin', 'POST', '/api/v1/webhooks/redeliver', { ids: [letter?.id] }),
      409,
      'WEBHOOK_DELIVERY_NOT_DEAD',
    );
    await pause(sub.id);
    await rx.stop();
  });

  it('writes the outbox in the transaction of the case event: a rollback leaves nothing to send', async () => {
    const sub = await subscribe({ name: '事务', url: 'http://127.0.0.1:1/hook' });
    const a = await report();
    const count = async (db = ts.store.db) =>
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = ${sub.id}`.execute(db)
      ).rows[0]?.n;
    expect(await count()).toBe(1);
    await expect(
      ts.store.db.transaction().execute(async (trx) => {
        await sql`INSERT INTO case_events (case_id, seq, action, actor_role, from_state, to_state)
                  VALUES (${a.id}, 99, 'note', 'intake', 'reported', 'reported')`.execute(trx);
        expect(await count(trx)).toBe(2);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await count()).toBe(1);
    await pause(sub.id);
  });
});
