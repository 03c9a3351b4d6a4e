/**
 * Every endpoint of the 12345 and camera channels answers 401 without credentials, 403 to
 * someone it is not for, and 400 with a stable code to bad input, which changes nothing. Also:
 * the hotline's limit rules are a table per city, and 退单 keeps to its window.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { registerPlatform } from '../camera/testkit.js';
import { type Fixtures, fixtures, loginAll, type Tokens } from '../cases/testkit.js';
import { registerHotline, workOrder } from './testkit.js';

type Method = 'GET' | 'POST' | 'PUT';
interface Endpoint {
  method: Method;
  url: string;
  /** A body that passes validation (so 401/403 are about who asks). */
  body?: unknown;
  /** Who is refused (403). */
  refused: 'dept' | 'intake' | 'hotline' | 'platform' | 'citizen';
  /** A bad request and the code it gets (400). */
  bad?: { url?: string; body?: unknown; code: string };
}

describe.each(testStores())('channel APIs: 401 / 403 / 400 (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let hotlineKey: string;
  let platformKey: string;
  let systemId: number;
  let orderId: number;
  let orderNo: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-channels-'));

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store, { DATA_DIR: dataDir, HOTLINE_OUTBOX_SENDER: 'false' });
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    const reg = await registerHotline(app, tokens, fx, { code: 'api', baseUrl: null, token: null });
    hotlineKey = reg.apiKey;
    systemId = reg.systemId;
    platformKey = (await registerPlatform(app, tokens)).apiKey;
    const wo = workOrder(fx);
    orderNo = wo.orderNo;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/hotline/inbound/orders',
      headers: { 'x-api-key': hotlineKey },
      payload: wo,
    });
    expect(res.statusCode, res.body).toBe(201);
    orderId = res.json().order.id;
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const headers = (who: Endpoint['refused'] | 'admin') =>
    who === 'hotline'
      ? { 'x-api-key': hotlineKey }
      : who === 'platform'
        ? { 'x-api-key': platformKey }
        : tokens[who];

  const camera = '51010400001320099999';
  const endpoints = (): Endpoint[] => [
    {
      method: 'POST',
      url: '/api/v1/hotline/inbound/orders',
      body: workOrder(fx),
      refused: 'platform',
      bad: { body: { ...workOrder(fx), appealType: '闲聊' }, code: 'VALIDATION_FAILED' },
    },
    {
      method: 'POST',
      url: `/api/v1/hotline/inbound/orders/${orderNo}/visits`,
      body: { visitId: 'X1', satisfaction: '满意', visitedAt: new Date().toISOString() },
      refused: 'platform',
      bad: {
        body: { visitId: 'X1', satisfaction: '还行', visitedAt: 'yesterday' },
        code: 'VALIDATION_FAILED',
      },
    },
    {
      method: 'POST',
      url: `/api/v1/hotline/inbound/orders/${orderNo}/extension-decision`,
      body: { approved: false },
      refused: 'platform',
      bad: { body: { approved: 'yes' }, code: 'VALIDATION_FAILED' },
    },
    {
      method: 'GET',
      url: '/api/v1/hotline/orders',
      refused: 'dept',
      bad: { url: '/api/v1/hotline/orders?status=lost', code: 'VALIDATION_FAILED' },
    },
    {
      method: 'GET',
      url: `/api/v1/hotline/orders/${orderId}`,
      refused: 'hotline',
      bad: { url: '/api/v1/hotline/orders/abc', code: 'VALIDATION_FAILED' },
    },
    {
      method: 'POST',
      url: `/api/v1/hotline/orders/${orderId}/sign`,
      refused: 'dept',
      bad: { url: '/api/v1/hotline/orders/0/sign', code: 'VALIDATION_FAILED' },
    },
    {
      method: 'POST',
      url: `/api/v1/hotline/orders/${orderId}/return`,
      body: { reason: '不属于城管职责' },
      refused: 'hotline',
      bad: { body: { reason: '' }, code: 'VALIDATION_FAILED' },
    },
    {
      method: 'POST',
      url: `/api/v1/hotline/orders/${orderId}/extension`,
      body: { amount: 2, unit: 'working_days', reason: '协调中' },
      refused: 'dept',
      bad: { body: { amount: 2, unit: 'weeks', reason: '协调中' }, code: 'VALIDATION_FAILED' },
    },
    {
      method: 'POST',
      url: `/api/v1/hotline/orders/${orderId}/reply`,
      body: { result: '解决', publicReply: '已处理' },
      refused: 'dept',
      bad: { body: { result: '办完了', publicReply: '已处理' }, code: 'VALIDATION_FAILED' },
    },
    { method: 'GET', url: '/api/v1/hotline/systems', refused: 'intake' },
    {
      method: 'POST',
      url: '/api/v1/hotline/systems',
      body: {
        code: 'api',
        name: '12345',
        serviceUserId: 1,
        defaultCategory: { kind: 'event', code: fx.category.code },
      },
      refused: 'intake',
      bad: {
        body: {
          code: 'api',
          name: '12345',
          serviceUserId: 1,
          defaultCategory: { kind: 'event', code: '9999' },
        },
        code: 'APIKEY_NOT_SERVICE_ACCOUNT',
      },
    },
    {
      method: 'GET',
      url: `/api/v1/hotline/systems/${systemId}/limits`,
      refused: 'intake',
      bad: { url: '/api/v1/hotline/systems/x/limits', code: 'VALIDATION_FAILED' },
    },
    {
      method: 'PUT',
      url: `/api/v1/hotline/systems/${systemId}/limits`,
      body: {
        rules: [{ appealType: '*', step: 'sign', amount: 1, unit: 'working_hours', calendarId: 'office' }],
      },
      refused: 'intake',
      bad: {
        body: {
          rules: [
            { appealType: '咨询', step: 'reply', amount: 1, unit: 'working_days', calendarId: 'office' },
          ],
        },
        code: 'VALIDATION_FAILED',
      },
    },
    { method: 'GET', url: '/api/v1/hotline/outbox', refused: 'intake' },
    { method: 'POST', url: '/api/v1/hotline/outbox/deliver', refused: 'dispatcher' as 'intake' },
    {
      method: 'POST',
      url: '/api/v1/camera/events',
      body: {
        events: [
          {
            eventId: 'e1',
            deviceId: camera,
            eventType: '660',
            occurredAt: new Date().toISOString(),
            confidence: 0.9,
          },
        ],
      },
      refused: 'intake',
      bad: {
        body: {
          events: [
            {
              eventId: 'e1',
              deviceId: '12345',
              eventType: '660',
              occurredAt: new Date().toISOString(),
              confidence: 0.9,
            },
          ],
        },
        code: 'CAMERA_DEVICE_ID_INVALID',
      },
    },
    { method: 'GET', url: '/api/v1/camera/cameras', refused: 'citizen' },
    {
      method: 'PUT',
      url: `/api/v1/camera/cameras/${camera}`,
      body: { name: '测试', lng: fx.supervised.lng, lat: fx.supervised.lat, districtCode: '510104' },
      refused: 'intake',
      bad: {
        url: '/api/v1/camera/cameras/51010400002000000001',
        body: { name: '测试', lng: fx.supervised.lng, lat: fx.supervised.lat, districtCode: '510104' },
        code: 'CAMERA_DEVICE_ID_INVALID',
      },
    },
    { method: 'GET', url: '/api/v1/camera/mappings', refused: 'citizen' },
    {
      method: 'PUT',
      url: '/api/v1/camera/mappings',
      body: {
        eventCode: '660',
        label: '店外经营',
        category: { kind: 'event', code: fx.category.code },
        minConfidence: 0.8,
      },
      refused: 'intake',
      bad: {
        body: {
          eventCode: '660',
          label: '店外经营',
          category: { kind: 'event', code: '9999' },
          minConfidence: 0.8,
        },
        code: 'CASE_CATEGORY_UNKNOWN',
      },
    },
    {
      method: 'GET',
      url: '/api/v1/camera/review',
      refused: 'dept',
      bad: { url: '/api/v1/camera/review?limit=0', code: 'VALIDATION_FAILED' },
    },
    {
      method: 'POST',
      url: '/api/v1/camera/events/1/accept',
      refused: 'dept',
      bad: { url: '/api/v1/camera/events/abc/accept', code: 'VALIDATION_FAILED' },
    },
    {
      method: 'POST',
      url: '/api/v1/camera/events/1/reject',
      refused: 'dept',
      bad: { url: '/api/v1/camera/events/abc/reject', code: 'VALIDATION_FAILED' },
    },
  ];

  /** Rows the channels write: a refused request must leave them as they were. */
  const footprint = async () =>
    (
      await sql<{
        n: string;
      }>`SELECT (SELECT count(*) FROM hotline_orders) || '/' || (SELECT count(*) FROM hotline_outbox)
        || '/' || (SELECT count(*) FROM cases) || '/' || (SELECT count(*) FROM camera_events)
        || '/' || (SELECT count(*) FROM cameras) || '/' || (SELECT count(*) FROM camera_event_mappings)
        || '/' || (SELECT count(*) FROM hotline_limit_rules) AS n`.execute(ts.store.db)
    ).rows[0]?.n;

  it('answers 401, 403 and 400 on every endpoint and changes nothing', async () => {
    const before = await footprint();
    const wrong: string[] = [];
    for (const e of endpoints()) {
      const call = (h: Record<string, string>, url = e.url, body = e.body) =>
        app.inject({
          method: e.method,
          url,
          headers: h,
          ...(body === undefined ? {} : { payload: body as object }),
        });
      const none = await call({});
      if (none.statusCode !== 401) wrong.push(`${e.method} ${e.url} anonymous: ${none.statusCode}`);
      const refused = await call(headers(e.refused === ('dispatcher' as string) ? 'intake' : e.refused));
      if (refused.statusCode !== 403)
        wrong.push(`${e.method} ${e.url} ${e.refused}: ${refused.statusCode} ${refused.body}`);
      if (e.bad) {
        const allowed = e.url.includes('/inbound/')
          ? 'hotline'
          : e.url.startsWith('/api/v1/camera/events') &&
              e.method === 'POST' &&
              !e.url.includes('/accept') &&
              !e.url.includes('/reject')
            ? 'platform'
            : e.url.includes('/camera/review') ||
                e.url.includes('/accept') ||
                e.url.includes('/reject') ||
                (e.url.includes('/hotline/orders') && !e.url.includes('inbound'))
              ? 'intake'
              : 'admin';
        const bad = await call(headers(allowed as 'intake'), e.bad.url ?? e.url, e.bad.body ?? e.body);
        const code = bad.json()?.error?.code;
        if (bad.statusCode !== 400 || code !== e.bad.code)
          wrong.push(`${e.method} ${e.bad.url ?? e.url} bad: ${bad.statusCode} ${code}`);
        expect(bad.json().error?.messages?.zh?.length ?? 0, `${e.url} zh message`).toBeGreaterThan(0);
      }
    }
    expect(wrong).toEqual([]);
    expect(await footprint()).toBe(before);
  });

  it('refuses a work order it cannot place, and one of an unknown class, keeping nothing', async () => {
    const before = await footprint();
    const post = (body: unknown) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/hotline/inbound/orders',
        headers: { 'x-api-key': hotlineKey },
        payload: body as object,
      });
    const { location: _, ...noCoordinates } = workOrder(fx, { address: '火星基地 1 号' });
    const lost = await post(noCoordinates);
    expect(lost.statusCode).toBe(400);
    expect(lost.json().error).toMatchObject({
      code: 'HOTLINE_ADDRESS_NOT_FOUND',
      messages: { zh: '工单未给坐标，且诉求地址无法定位' },
    });
    const unknown = await post(workOrder(fx, { category: { kind: 'event', code: '9999' } }));
    expect(unknown.json().error.code).toBe('CASE_CATEGORY_UNKNOWN');
    const outside = await post(
      workOrder(fx, { location: { lng: fx.otherDistrict.lng, lat: fx.otherDistrict.lat } }),
    );
    expect(outside.statusCode).toBeGreaterThanOrEqual(400);
    expect(await footprint()).toBe(before);
  });

  it("computes the hotline's limits from the city's rule table on the working calendar", async () => {
    const put = await app.inject({
      method: 'PUT',
      url: `/api/v1/hotline/systems/${systemId}/limits`,
      headers: tokens.admin,
      payload: {
        rules: [
          { appealType: '*', step: 'sign', amount: 2, unit: 'calendar_hours', calendarId: 'office' },
          { appealType: '*', step: 'return', amount: 2, unit: 'working_days', calendarId: 'office' },
          { appealType: '*', step: 'reply', amount: 5, unit: 'working_days', calendarId: 'office' },
          { appealType: '咨询', step: 'reply', amount: 24, unit: 'calendar_hours', calendarId: 'office' },
        ],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    // Accepted on a Friday at 10:00 (+08:00), a working week with no holiday.
    const acceptedAt = '2026-11-27T10:00:00+08:00';
    const consult = await app.inject({
      method: 'POST',
      url: '/api/v1/hotline/inbound/orders',
      headers: { 'x-api-key': hotlineKey },
      payload: workOrder(fx, { appealType: '咨询', acceptedAt }),
    });
    expect(consult.json().order.deadlines).toMatchObject({
      sign: '2026-11-27T04:00:00.000Z',
      reply: '2026-11-28T02:00:00.000Z',
    });
    const complaint = await app.inject({
      method: 'POST',
      url: '/api/v1/hotline/inbound/orders',
      headers: { 'x-api-key': hotlineKey },
      payload: workOrder(fx, { appealType: '投诉', acceptedAt }),
    });
    // 5 working days of the office calendar from Friday 10:00: the next Friday 10:00.
    expect(complaint.json().order.deadlines).toMatchObject({
      reply: '2026-12-04T02:00:00.000Z',
      return: '2026-12-01T02:00:00.000Z',
    });
    // Its return window (2 working days, to Tuesday 10:00) has passed: 退单 is refused.
    const late = await app.inject({
      method: 'POST',
      url: `/api/v1/hotline/orders/${complaint.json().order.id}/return`,
      headers: tokens.shiftlead,
      payload: { reason: '不属于城管职责' },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('HOTLINE_RETURN_WINDOW_PASSED');
  });

  it('退单 within the window rejects the case (不予立案) and is sent to the hotline', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/hotline/orders/${orderId}/return`,
      headers: tokens.shiftlead,
      payload: { reason: '属于供水公司职责' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'returned',
      returnReason: '属于供水公司职责',
      caseState: 'rejected',
    });
    // This system has no base URL: nothing waits to be sent.
    expect(res.json().calls).toEqual([]);
    const replied = await app.inject({
      method: 'POST',
      url: `/api/v1/hotline/orders/${orderId}/reply`,
      headers: tokens.intake,
      payload: { result: '不办理退单', publicReply: '已退回' },
    });
    expect(replied.statusCode).toBe(409);
    expect(replied.json().error.code).toBe('HOTLINE_ORDER_STATE');
  });

  it("takes the hotline's answer to an extension request: approved moves the reply limit, once", async () => {
    const wo = workOrder(fx);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/hotline/inbound/orders',
      headers: { 'x-api-key': hotlineKey },
      payload: wo,
    });
    const id = created.json().order.id as number;
    const decide = (body: unknown) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/hotline/inbound/orders/${wo.orderNo}/extension-decision`,
        headers: { 'x-api-key': hotlineKey },
        payload: body as object,
      });
    const early = await decide({ approved: true, dueAt: '2027-01-15T18:00:00+08:00' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('HOTLINE_EXTENSION_NOT_ASKED');
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/hotline/orders/${id}/sign`, headers: tokens.intake }))
        .statusCode,
    ).toBe(200);
    const asked = await app.inject({
      method: 'POST',
      url: `/api/v1/hotline/orders/${id}/extension`,
      headers: tokens.intake,
      payload: { amount: 5, unit: 'working_days', reason: '需协调燃气公司' },
    });
    expect(asked.json().extension).toMatchObject({ amount: 5, unit: 'working_days', decision: null });
    const approved = await decide({ approved: true, dueAt: '2027-01-15T18:00:00+08:00', comment: '同意' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().deadlines.reply).toBe('2027-01-15T10:00:00.000Z');
    expect((await decide({ approved: false })).json().error.code).toBe('HOTLINE_EXTENSION_NOT_ASKED');
  });
});
