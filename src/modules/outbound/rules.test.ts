/**
 * Notice rules against real local HTTP servers acting as the WeCom and DingTalk group robots and
 * the SMS gateway: an urgent case filed, a 12345 order received, a case overdue go to the groups
 * and phones the admin routed them to (and nowhere else); a robot that refuses is retried, then
 * dead-lettered, and the console's redelivery sends it once the robot is fixed.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { sweep } from '../cases/sweeper.js';
import { client, type Fixtures, fixtures, loginAll, type Tokens } from '../cases/testkit.js';

const WECOM_KEY = 'wecom-rules-key';
const DING_TOKEN = 'ding-rules-token';
const DING_SECRET = 'SECrules0123456789';

interface Got {
  robot: 'wecom' | 'dingtalk' | 'sms';
  content: string;
  mentions: string[];
}

/** WeCom, DingTalk (加签 checked as DingTalk checks it) and an SMS gateway; `refuse` makes DingTalk answer an errcode. */
async function robots() {
  const got: Got[] = [];
  const state = { refuse: false };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://robots');
      const msg = JSON.parse(body);
      const answer = (errcode: number, errmsg: string) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode, errmsg }));
      if (url.pathname === '/sms') {
        got.push({ robot: 'sms', content: msg.text, mentions: msg.phones });
        return answer(0, 'ok');
      }
      if (msg.msgtype !== 'text' || typeof msg.text?.content !== 'string')
        return answer(40008, 'invalid message type');
      if (url.pathname === '/cgi-bin/webhook/send') {
        if (url.searchParams.get('key') !== WECOM_KEY) return answer(93000, 'invalid webhook url');
        got.push({
          robot: 'wecom',
          content: msg.text.content,
          mentions: msg.text.mentioned_mobile_list ?? [],
        });
        return answer(0, 'ok');
      }
      if (url.pathname === '/robot/send') {
        const ts = url.searchParams.get('timestamp') ?? '';
        const sign = createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`).digest('base64');
        if (url.searchParams.get('access_token') !== DING_TOKEN) return answer(300001, 'token is not exist');
        if (url.searchParams.get('sign') !== sign) return answer(310000, 'sign not match');
        if (state.refuse) return answer(410100, 'send too fast');
        got.push({ robot: 'dingtalk', content: msg.text.content, mentions: msg.at?.atMobiles ?? [] });
        return answer(0, 'ok');
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { got, state, base, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

async function until(check: () => Promise<boolean> | boolean, what: string) {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never happened: ${what}`);
}

describe.each(testStores())('notice rules (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  let rx: Awaited<ReturnType<typeof robots>>;

  beforeAll(async () => {
    ts = await openTestStore(kind);
    rx = await robots();
    app = await testApp(ts.store, {
      WEBHOOK_POLL_MS: '25',
      WEBHOOK_RETRY_BASE_MS: '25',
      SMS_GATEWAY_URL: `${rx.base}/sms`,
    });
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await rx?.stop();
    await ts?.dispose();
  });

  const post = async (url: string, body: Record<string, unknown>) => {
    const res = await c.call('admin', 'POST', url, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number };
  };
  const channels = async () => ({
    wecom: await post('/api/v1/notify/channels', {
      name: '指挥中心企业微信群',
      kind: 'wecom',
      url: `${rx.base}/cgi-bin/webhook/send?key=${WECOM_KEY}`,
    }),
    ding: await post('/api/v1/notify/channels', {
      name: '热线专班钉钉群',
      kind: 'dingtalk',
      url: `${rx.base}/robot/send?access_token=${DING_TOKEN}`,
      secret: DING_SECRET,
    }),
    sms: await post('/api/v1/notify/channels', { name: '值班短信', kind: 'sms', phones: ['13800138000'] }),
  });
  const report = (body: Record<string, unknown> = {}) =>
    c.report('intake', {
      source: 'public',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区红星路 1 号',
      description: '路面堆放建筑垃圾',
      reporterName: '王五',
      reporterPhone: '13900139000',
      ...body,
    });
  const pauseAll = async () => {
    const rules = (await c.call('admin', 'GET', '/api/v1/notify/rules')).json() as Array<{ id: number }>;
    for (const r of rules) await c.call('admin', 'PATCH', `/api/v1/notify/rules/${r.id}`, { active: false });
  };

  it('is managed by admins only, with clear errors that change nothing', async () => {
    const body = { name: '紧急案卷', channelId: 1, eventTypes: ['report'] };
    expectError(
      await app.inject({ method: 'POST', url: '/api/v1/notify/rules', payload: body }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(await c.call('intake', 'POST', '/api/v1/notify/rules', body), 403, 'FORBIDDEN');
    expectError(await c.call('intake', 'GET', '/api/v1/notify/rules'), 403, 'FORBIDDEN');
    expectError(await c.call('intake', 'GET', '/api/v1/notify/rules/1/deliveries'), 403, 'FORBIDDEN');
    expectError(
      await c.call('admin', 'POST', '/api/v1/notify/rules', { ...body, eventTypes: ['explode'] }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await c.call('admin', 'POST', '/api/v1/notify/rules', { ...body, urgencies: ['very'] }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await c.call('admin', 'POST', '/api/v1/notify/rules', { ...body, recipients: ['call me'] }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await c.call('admin', 'POST', '/api/v1/notify/rules', { ...body, channelId: 99999 }),
      404,
      'NOTIFY_CHANNEL_UNKNOWN',
    );
    expectError(
      await c.call('admin', 'PATCH', '/api/v1/notify/rules/99999', { active: false }),
      404,
      'NOTIFY_RULE_UNKNOWN',
    );
    expectError(
      await c.call('admin', 'GET', '/api/v1/notify/rules/99999/deliveries'),
      404,
      'NOTIFY_RULE_UNKNOWN',
    );
    const none = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notify_rules`.execute(ts.store.db);
    expect(none.rows[0]?.n).toBe(0);
  });

  it('routes urgent cases, 12345 orders and overdue cases to the groups and phones they are for', async () => {
    const ch = await channels();
    const urgent = await post('/api/v1/notify/rules', {
      name: '紧急案卷上报',
      channelId: ch.wecom.id,
      eventTypes: ['report'],
      urgencies: ['urgent', 'emergency'],
      categoryCodes: [fx.category.code.slice(0, 2)],
      recipients: ['13800000001'],
    });
    const hotline = await post('/api/v1/notify/rules', {
      name: '12345 工单',
      channelId: ch.ding.id,
      eventTypes: ['report'],
      sources: ['hotline_12345'],
      recipients: ['13800000002'],
    });
    const overdue = await post('/api/v1/notify/rules', {
      name: '超期短信',
      channelId: ch.sms.id,
      eventTypes: ['overdue'],
      districtCodes: [fx.supervised.code.slice(0, 6)],
      recipients: ['13800000003'],
    });
    const elsewhere = await post('/api/v1/notify/rules', {
      name: '别区紧急',
      channelId: ch.wecom.id,
      urgencies: ['urgent'],
      districtCodes: ['510105'],
    });

    const normal = await report();
    const hot = await report({ urgency: 'urgent' });
    const order = await report({ source: 'hotline_12345' });
    await until(() => rx.got.length >= 2, 'the urgent and the 12345 notices');
    const wecom = rx.got.filter((g) => g.robot === 'wecom');
    expect(wecom).toHaveLength(1);
    expect(wecom[0]?.content).toContain(hot.number);
    expect(wecom[0]?.content).toContain('紧急');
    expect(wecom[0]?.content).toContain('锦江区红星路 1 号');
    expect(wecom[0]?.mentions).toEqual(['13800000001']);
    const ding = rx.got.filter((g) => g.robot === 'dingtalk');
    expect(ding).toHaveLength(1);
    expect(ding[0]?.content).toContain(order.number);
    expect(ding[0]?.content).toContain('@13800000002');
    expect(ding[0]?.mentions).toEqual(['13800000002']);
    expect(rx.got.some((g) => g.content.includes(normal.number))).toBe(false);
    // A person's name or phone never goes to a group.
    expect(rx.got.some((g) => g.content.includes('王五') || g.content.includes('13900139000'))).toBe(false);

    // The sweeper marks the running steps overdue: an SMS to the rule's phones, through the gateway.
    const swept = await sweep(ts.store, new Date(Date.now() + 60 * 86_400_000));
    expect(swept.overdueEvents).toBeGreaterThan(0);
    await until(
      () => rx.got.some((g) => g.robot === 'sms' && g.content.includes(normal.number)),
      'the overdue SMS',
    );
    const sms = rx.got.filter((g) => g.robot === 'sms');
    expect(sms.every((g) => g.mentions.join() === '13800000003')).toBe(true);
    expect(sms.find((g) => g.content.includes(normal.number))?.content).toContain('超期');

    const queued = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM webhook_deliveries WHERE rule_id = ${elsewhere.id}`.execute(ts.store.db);
    expect(queued.rows[0]?.n).toBe(0);
    const rules = (await c.call('admin', 'GET', '/api/v1/notify/rules')).json() as Array<{
      id: number;
      delivered: number;
      dead: number;
    }>;
    expect(rules.find((r) => r.id === urgent.id)).toMatchObject({ delivered: 1, dead: 0 });
    expect(rules.find((r) => r.id === hotline.id)).toMatchObject({ delivered: 1, dead: 0 });
    await until(async () => {
      const list = (await c.call('admin', 'GET', '/api/v1/notify/rules')).json() as typeof rules;
      return (list.find((r) => r.id === overdue.id)?.delivered ?? 0) === sms.length;
    }, 'every overdue notice recorded as delivered');
    const delivered = (
      await c.call('admin', 'GET', `/api/v1/notify/rules/${urgent.id}/deliveries?state=delivered`)
    ).json();
    expect(delivered).toEqual([
      expect.objectContaining({ caseNumber: hot.number, event: 'report', attempts: 1 }),
    ]);
    const log = (await c.call('admin', 'GET', '/api/v1/notify/log')).json() as Array<{ subject: string }>;
    expect(log.some((l) => l.subject === `event:report:${hot.number}`)).toBe(true);
    await pauseAll();
  });

  it('retries a refusing robot, dead-letters it, and redelivers from the console once it is fixed', async () => {
    const ch = await channels();
    const rule = await post('/api/v1/notify/rules', {
      name: '紧急上报（钉钉）',
      channelId: ch.ding.id,
      eventTypes: ['report'],
      urgencies: ['emergency'],
      maxAttempts: 2,
    });
    rx.state.refuse = true;
    const before = rx.got.length;
    const k = await report({ urgency: 'emergency' });
    const dead = async () =>
      (
        await c.call('admin', 'GET', `/api/v1/notify/rules/${rule.id}/deliveries?state=dead`)
      ).json() as Array<{
        id: string;
        caseNumber: string;
        attempts: number;
        lastError: string | null;
      }>;
    await until(async () => (await dead()).length === 1, 'a dead letter');
    const [letter] = await dead();
    expect(letter).toMatchObject({
      caseNumber: k.number,
      attempts: 2,
      lastError: 'errcode 410100: send too fast',
    });
    expect(rx.got.length).toBe(before);

    rx.state.refuse = false;
    const again = await c.call('admin', 'POST', '/api/v1/webhooks/redeliver', { ids: [letter?.id] });
    expect(again.json()).toEqual({ redelivered: 1 });
    await until(() => rx.got.some((g) => g.content.includes(k.number)), 'the redelivered notice');
    expect(rx.got.filter((g) => g.content.includes(k.number))).toHaveLength(1);
    await until(async () => (await dead()).length === 0, 'the dead-letter list emptied');
    await pauseAll();
  });
});
