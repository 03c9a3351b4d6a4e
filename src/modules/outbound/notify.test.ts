/**
 * Notification adapters against a local HTTP server speaking the WeCom and DingTalk group-robot
 * JSON (DingTalk's 加签 checked the way DingTalk checks it), SMS with no gateway (logged only),
 * and the department head's daily digest built from real cases.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, type Fixtures, fixtures, loginAll, type Tokens } from '../cases/testkit.js';

const WECOM_KEY = 'wecom-key-1';
const DING_TOKEN = 'ding-token-1';
const DING_SECRET = 'SEC0123456789abcdef';

/** The robots' side: WeCom /cgi-bin/webhook/send?key=…, DingTalk /robot/send?access_token=…&timestamp&sign. */
async function robots() {
  const got: Array<{ robot: string; content: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://robots');
      const msg = JSON.parse(body) as { msgtype: string; text: { content: string } };
      const answer = (errcode: number, errmsg: string) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode, errmsg }));
      if (msg.msgtype !== 'text' || typeof msg.text?.content !== 'string')
        return answer(40008, 'invalid message type');
      if (url.pathname === '/cgi-bin/webhook/send') {
        if (url.searchParams.get('key') !== WECOM_KEY) return answer(93000, 'invalid webhook url');
        got.push({ robot: 'wecom', content: msg.text.content });
        return answer(0, 'ok');
      }
      if (url.pathname === '/robot/send') {
        const ts = url.searchParams.get('timestamp') ?? '';
        const sign = createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`).digest('base64');
        if (url.searchParams.get('access_token') !== DING_TOKEN) return answer(300001, 'token is not exist');
        if (url.searchParams.get('sign') !== sign) return answer(310000, 'sign not match');
        got.push({ robot: 'dingtalk', content: msg.text.content });
        return answer(0, 'ok');
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { got, base, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(testStores())('notifications and the daily digest (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  let rx: Awaited<ReturnType<typeof robots>>;

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store);
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
    rx = await robots();
  }, 120_000);
  afterAll(async () => {
    await rx?.stop();
    await app?.close();
    await ts?.dispose();
  });

  const channel = async (body: Record<string, unknown>) => {
    const res = await c.call('admin', 'POST', '/api/v1/notify/channels', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number };
  };

  it('sends through WeCom and DingTalk robots, reports their refusals, and logs SMS without a gateway', async () => {
    expectError(await c.call('intake', 'GET', '/api/v1/notify/channels'), 403, 'FORBIDDEN');
    expectError(
      await c.call('admin', 'POST', '/api/v1/notify/channels', { name: 'x', kind: 'wecom' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await c.call('admin', 'POST', '/api/v1/notify/channels/9999/test'),
      404,
      'NOTIFY_CHANNEL_UNKNOWN',
    );
    const wecom = await channel({
      name: '企业微信群',
      kind: 'wecom',
      url: `${rx.base}/cgi-bin/webhook/send?key=${WECOM_KEY}`,
    });
    const ding = await channel({
      name: '钉钉群',
      kind: 'dingtalk',
      url: `${rx.base}/robot/send?access_token=${DING_TOKEN}`,
      secret: DING_SECRET,
    });
    const badDing = await channel({
      name: '钉钉群（密钥错）',
      kind: 'dingtalk',
      url: `${rx.base}/robot/send?access_token=${DING_TOKEN}`,
      secret: 'SECwrong',
    });
    const sms = await channel({ name: '值班短信', kind: 'sms', phones: ['13800138000'] });
    const test = async (id: number) =>
      (await c.call('admin', 'POST', `/api/v1/notify/channels/${id}/test`)).json();
    expect(await test(wecom.id)).toEqual({ outcome: 'sent', error: null });
    expect(await test(ding.id)).toEqual({ outcome: 'sent', error: null });
    expect(await test(badDing.id)).toEqual({ outcome: 'failed', error: 'errcode 310000: sign not match' });
    expect(await test(sms.id)).toEqual({ outcome: 'logged', error: null });
    expect(rx.got).toEqual([
      { robot: 'wecom', content: 'CityLoop 通知渠道测试消息' },
      { robot: 'dingtalk', content: 'CityLoop 通知渠道测试消息' },
    ]);
    const log = (await c.call('admin', 'GET', '/api/v1/notify/log')).json() as Array<{
      outcome: string;
      kind: string;
    }>;
    expect(log.map((l) => [l.kind, l.outcome])).toEqual([
      ['sms', 'logged'],
      ['dingtalk', 'failed'],
      ['dingtalk', 'sent'],
      ['wecom', 'sent'],
    ]);
  });

  it("sends each department head's digest once a day, with the department's figures", async () => {
    const dept = (await c.call('admin', 'GET', '/api/v1/departments')).json() as
      | { items: Array<{ id: number; code: string }> }
      | Array<{ id: number; code: string }>;
    const list = Array.isArray(dept) ? dept : dept.items;
    const sz = list.find((d) => d.code === 'SZ-01');
    expect(sz).toBeDefined();
    await channel({
      name: '市政处长',
      kind: 'wecom',
      url: `${rx.base}/cgi-bin/webhook/send?key=${WECOM_KEY}`,
      digestDepartmentId: sz?.id,
    });
    const k = await c.report('supervisor', {
      source: 'supervisor',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
      address: '锦江区日报路 8 号',
      description: '暴露垃圾一处',
    });
    await c.ok('intake', k.id, 'intake');
    await c.ok('shiftlead', k.id, 'file');
    await c.ok('dispatcher', k.id, 'dispatch', { departmentCode: 'SZ-01' });
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expectError(await c.call('intake', 'POST', '/api/v1/notify/digest', { day: today }), 403, 'FORBIDDEN');
    const before = rx.got.length;
    const sent = await c.call('admin', 'POST', '/api/v1/notify/digest', { day: today });
    expect(sent.json()).toEqual([expect.objectContaining({ outcome: 'sent' })]);
    const digest = rx.got.slice(before);
    expect(digest).toHaveLength(1);
    const text = digest[0]?.content ?? '';
    expect(text).toContain(`${today} 案卷日报`);
    expect(text).toMatch(/昨日派入 [1-9]\d* 件/);
    expect(text).toMatch(/当前在办 [1-9]\d* 件/);
    // Once per channel and day.
    expect((await c.call('admin', 'POST', '/api/v1/notify/digest', { day: today })).json()).toEqual([]);
    expect(rx.got.length).toBe(before + 1);
  });
});
