/**
 * Acceptance of the 12345 exchange over real HTTP against the reference hotline
 * (test/helpers/hotline-server.ts): a work order comes in, is signed, handled, replied, rated
 * unsatisfied, reopened, handled and closed again; the same order delivered twice files one case;
 * the hotline down for a while loses no call, also across a restart of CityLoop.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { ReferenceHotline } from '../../../test/helpers/hotline-server.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, type Fixtures, fixtures, loginAll, PNG, type Tokens } from '../cases/testkit.js';
import { deliverDue, MAX_BACKOFF_MS } from './outbox.js';
import { registerHotline, workOrder } from './testkit.js';

describe.each(testStores())('12345 exchange over HTTP (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  let hotline: ReferenceHotline;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-hotline-'));
  const token = 'hotline-outbound-secret';

  /** CityLoop's outbox, delivered now (the sender of the app is off: the test says when). */
  const deliver = (now?: Date) => deliverDue(ts.store.db, now ? { now } : {});

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store, { DATA_DIR: dataDir, HOTLINE_OUTBOX_SENDER: 'false' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
    hotline = new ReferenceHotline(token, { baseUrl: '', apiKey: '' });
    await hotline.start();
    const reg = await registerHotline(app, tokens, fx, { code: 'city', baseUrl: hotline.baseUrl, token });
    Object.assign(hotline, {
      cityloop: {
        baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
        apiKey: reg.apiKey,
      },
    });
  }, 180_000);
  afterAll(async () => {
    await hotline?.stop();
    await app?.close();
    await ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const order = async (id: number) => (await c.call('intake', 'GET', `/api/v1/hotline/orders/${id}`)).json();

  /** The loop from 派遣 to 结案, by the demo's people. */
  async function handleAndClose(caseId: number) {
    await c.ok('dispatcher', caseId, 'dispatch', { departmentCode: 'SZ-01' });
    await c.ok('dept', caseId, 'sign');
    await c.ok('handler', caseId, 'feedback', { photos: [await c.upload('handler')] });
    await c.ok('intake', caseId, 'request_check');
    await c.ok('supervisor', caseId, 'check_pass', { photos: [await c.upload('supervisor')] });
    return c.ok('shiftlead', caseId, 'close');
  }

  it('runs a work order through sign, handling, reply, 不满意, 重办 and a second reply', async () => {
    const wo = workOrder(fx, {
      attachments: [{ name: '现场照片.png', contentType: 'image/png', data: PNG.toString('base64') }],
    });
    const first = await hotline.sendOrder(wo);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const received = first.body.order as {
      id: number;
      caseId: number;
      status: string;
      deadlines: { sign: string; return: string; reply: string };
    };
    expect(received).toMatchObject({ status: 'received', orderNo: wo.orderNo, appealType: '投诉' });
    // The appellant is not echoed to the hotline's client, and the limits come from the rule table.
    expect(received).not.toHaveProperty('appellant');
    expect(Date.parse(received.deadlines.sign)).toBeGreaterThan(Date.parse(wo.acceptedAt));
    expect(Date.parse(received.deadlines.reply)).toBeGreaterThan(Date.parse(received.deadlines.return));

    // Delivered again (the hotline did not get our answer): the same case, nothing new.
    const again = await hotline.sendOrder(wo);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, order: { id: received.id, caseId: received.caseId } });

    const kase = (await c.call('intake', 'GET', `/api/v1/cases/${received.caseId}`)).json();
    expect(kase).toMatchObject({ source: 'hotline_12345', state: 'reported', urgency: 'normal' });
    expect(kase.description).toContain(wo.orderNo);
    expect(kase.photos.before).toHaveLength(1);

    // 签收 goes to the hotline.
    const signed = await c.call('intake', 'POST', `/api/v1/hotline/orders/${received.id}/sign`);
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({
      status: 'signed',
      appellant: { name: '李女士', phone: '13800000000' },
    });
    expect(await deliver()).toEqual({ sent: 1, failed: 0 });
    expect(hotline.callsOf(wo.orderNo)).toEqual(['sign']);

    // Not finished yet: no reply.
    const early = await c.call('intake', 'POST', `/api/v1/hotline/orders/${received.id}/reply`, {
      result: '解决',
      publicReply: '已清理',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('HOTLINE_CASE_NOT_FINISHED');

    // The loop: 核实 (not a supervisor's report) → 立案 → 派遣 … 结案.
    await c.ok('intake', received.caseId, 'request_verification');
    await c.ok('supervisor', received.caseId, 'verify');
    await c.ok('shiftlead', received.caseId, 'file');
    expect((await handleAndClose(received.caseId)).state).toBe('closed');

    const replied = await c.call('intake', 'POST', `/api/v1/hotline/orders/${received.id}/reply`, {
      result: '解决',
      publicReply: '经现场核查，堆放垃圾已清运完毕。',
    });
    expect(replied.statusCode, replied.body).toBe(200);
    expect(replied.json()).toMatchObject({ status: 'replied', result: '解决', round: 0 });
    await deliver();
    expect(hotline.callsOf(wo.orderNo)).toEqual(['sign', 'reply']);
    expect(hotline.calls.at(-1)?.body).toMatchObject({ result: '解决', round: 0, orderNo: wo.orderNo });

    // 回访 不满意: the case is reopened (重办) as an event of the hotline's account.
    const visit = {
      visitId: 'V1',
      satisfaction: '不满意',
      comment: '角落仍有垃圾',
      visitedAt: new Date().toISOString(),
    };
    const rated = await hotline.sendVisit(wo.orderNo, visit);
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);
    expect(rated.body).toMatchObject({
      status: 'reopened',
      round: 1,
      satisfaction: '不满意',
      caseState: 'filed',
    });
    // The same 回访 again changes nothing.
    expect((await hotline.sendVisit(wo.orderNo, visit)).body).toMatchObject({ status: 'reopened', round: 1 });
    const events = (await c.call('intake', 'GET', `/api/v1/cases/${received.caseId}/events`)).json().items;
    const reopen = events.filter((e: { action: string }) => e.action === 'reopen');
    expect(reopen).toHaveLength(1);
    expect(reopen[0]).toMatchObject({ fromState: 'closed', toState: 'filed' });
    expect(reopen[0].reason).toContain('角落仍有垃圾');
    const reopened = (await c.call('intake', 'GET', `/api/v1/cases/${received.caseId}`)).json();
    expect(reopened.closedAt ?? null).toBeNull();

    // Handled again, closed, replied for round 1, rated 满意: finished.
    expect((await handleAndClose(received.caseId)).state).toBe('closed');
    const second = await c.call('intake', 'POST', `/api/v1/hotline/orders/${received.id}/reply`, {
      result: '解决',
      publicReply: '已再次清理，并安排每日巡查。',
    });
    expect(second.json()).toMatchObject({ status: 'replied', round: 1 });
    await deliver();
    expect(hotline.callsOf(wo.orderNo)).toEqual(['sign', 'reply', 'reply']);
    expect(hotline.calls.at(-1)?.body).toMatchObject({ round: 1 });
    const done = await hotline.sendVisit(wo.orderNo, {
      visitId: 'V2',
      satisfaction: '满意',
      visitedAt: new Date().toISOString(),
    });
    expect(done.body).toMatchObject({ status: 'finished', satisfaction: '满意', caseState: 'closed' });
    // Only one case for the order, ever.
    const list = (await c.call('intake', 'GET', '/api/v1/hotline/orders?limit=200')).json().items;
    expect(list.filter((o: { orderNo: string }) => o.orderNo === wo.orderNo)).toHaveLength(1);
  });

  it('files one case when the same order arrives twice at once', async () => {
    const wo = workOrder(fx);
    const [a, b] = await Promise.all([hotline.sendOrder(wo), hotline.sendOrder(wo)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect((a.body.order as { caseId: number }).caseId).toBe((b.body.order as { caseId: number }).caseId);
  });

  it('loses no call while the hotline is down, retries with backoff, and delivers each once', async () => {
    const wo = workOrder(fx);
    const id = ((await hotline.sendOrder(wo)).body.order as { id: number }).id;
    await hotline.stop();
    expect((await c.call('intake', 'POST', `/api/v1/hotline/orders/${id}/sign`)).statusCode).toBe(200);
    const ext = await c.call('intake', 'POST', `/api/v1/hotline/orders/${id}/extension`, {
      amount: 3,
      unit: 'working_days',
      reason: '需协调多个部门',
    });
    expect(ext.statusCode, ext.body).toBe(200);
    // Down: the first call fails and waits; the second waits behind it (order per work order).
    const t0 = new Date();
    expect(await deliver(t0)).toEqual({ sent: 0, failed: 1 });
    const waiting = (await c.call('admin', 'GET', '/api/v1/hotline/outbox')).json().items;
    expect(waiting.map((w: { kind: string }) => w.kind)).toEqual(['sign', 'extension']);
    expect(waiting[0]).toMatchObject({ attempts: 1, lastStatus: null });
    expect(waiting[0].lastError).toMatch(/ECONNREFUSED|fetch failed/);
    // Not due again before the backoff.
    expect(await deliver(t0)).toEqual({ sent: 0, failed: 0 });
    // Still down at the next attempts: the wait grows.
    const later = new Date(Date.now() + MAX_BACKOFF_MS);
    expect(await deliver(later)).toEqual({ sent: 0, failed: 1 });
    const after2 = (await c.call('admin', 'GET', '/api/v1/hotline/outbox')).json().items[0];
    expect(after2.attempts).toBe(2);

    // CityLoop restarts while the hotline is still down; then the hotline comes back and the
    // new process's own sender delivers both calls, in order.
    await app.close();
    await hotline.start();
    app = await testApp(ts.store, { DATA_DIR: dataDir });
    await app.listen({ port: 0, host: '127.0.0.1' });
    Object.assign(hotline, {
      cityloop: {
        ...(hotline as unknown as { cityloop: object }).cityloop,
        baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      },
    });
    tokens = await loginAll(app);
    c = client(app, tokens);
    // The backoff of the last failure is up to MAX_BACKOFF_MS; an admin's "deliver now" need not wait.
    const kick = await c.call('admin', 'POST', '/api/v1/hotline/outbox/deliver');
    expect(kick.statusCode).toBe(200);
    expect(kick.json().failed).toBe(0);
    // Whatever the app's sender did meanwhile, each call reached the hotline once, in order.
    expect(hotline.callsOf(wo.orderNo)).toEqual(['sign', 'extension']);
    expect((await c.call('admin', 'GET', '/api/v1/hotline/outbox')).json().items).toEqual([]);
    const o = await order(id);
    expect(o.calls.map((x: { kind: string; sentAt: string | null }) => [x.kind, x.sentAt !== null])).toEqual([
      ['sign', true],
      ['extension', true],
    ]);
  });
});
