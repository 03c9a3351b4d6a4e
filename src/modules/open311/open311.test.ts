/**
 * The Open311 GeoReport v2 server end to end, through a client written from the spec over real
 * HTTP (test/helpers/open311-client.ts): discovery, services and definitions, POST → token →
 * GET, every GET filter, servicerequestupdates both ways, the spec's errors; every JSON answer
 * checked against the spec's schemas (test/fixtures/open311), every XML answer against its JSON.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { type Answer, asText, type Format, Open311Client } from '../../../test/helpers/open311-client.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client as casesClient, type Fixtures, fixtures, loginAll, type Tokens } from '../cases/testkit.js';

const schema = JSON.parse(
  fs.readFileSync(
    new URL('../../../test/fixtures/open311/georeport-v2.schema.json', import.meta.url),
    'utf8',
  ),
) as { $defs: Record<string, unknown> };
type Def =
  | 'discovery'
  | 'services'
  | 'service_definition'
  | 'post_answer'
  | 'tokens'
  | 'service_requests'
  | 'service_request_updates'
  | 'update_answer'
  | 'errors';
const validators = new Map<Def, z.ZodType>();
function conforms(def: Def, body: unknown) {
  let v = validators.get(def);
  if (!v) {
    v = z.fromJSONSchema({ $defs: schema.$defs, $ref: `#/$defs/${def}` } as never);
    validators.set(def, v);
  }
  const result = v.safeParse(body);
  expect(result.success, `${def}: ${JSON.stringify(result.error?.issues ?? []).slice(0, 1500)}`).toBe(true);
}

/** Both formats of one GET: the JSON conforms to the schema, the XML says the same. */
async function both(get: (f: Format) => Promise<Answer>, def: Def, root: string, status = 200) {
  const [json, xml] = [await get('json'), await get('xml')];
  expect(json.status, json.raw.slice(0, 500)).toBe(status);
  expect(xml.status, xml.raw.slice(0, 500)).toBe(status);
  expect(json.contentType).toBe('application/json; charset=utf-8');
  expect(xml.contentType).toBe('text/xml; charset=utf-8');
  expect(xml.raw.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  expect(xml.root).toBe(root);
  conforms(def, json.body);
  expect(xml.body).toEqual(asText(json.body));
  return json.body as never;
}

const ATTRIBUTES = [
  { code: 'plate', datatype: 'string', required: false, order: 1, description: '车牌号' },
  { code: 'count', datatype: 'number', required: true, order: 2, description: '数量' },
  { code: 'seen_at', datatype: 'datetime', required: false, order: 3, description: '发现时间' },
  { code: 'details', datatype: 'text', required: false, order: 4, description: '详细说明' },
  {
    code: 'size',
    datatype: 'singlevaluelist',
    required: true,
    order: 5,
    description: '规模',
    values: [
      { key: 'small', name: '小' },
      { key: 'large', name: '大' },
    ],
  },
  {
    code: 'kinds',
    datatype: 'multivaluelist',
    required: false,
    order: 6,
    description: '种类',
    values: [
      { key: 'paper', name: '纸' },
      { key: 'plastic', name: '塑料' },
      { key: 'metal', name: '金属' },
    ],
  },
  {
    code: 'note',
    variable: false,
    datatype: 'string',
    required: false,
    order: 7,
    description: '请勿填写个人信息',
  },
];

describe.each(testStores())('Open311 GeoReport v2 (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let admin: { authorization: string };
  let o311: Open311Client;
  let anon: Open311Client;
  let endpoint: string;
  let serviceCode: string;
  let apiKey: string;
  let clientId: number;

  const caseCount = async () =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(ts.store.db)).rows[0]?.n;

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store);
    await app.listen({ port: 0, host: '127.0.0.1' });
    endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/open311/v2/`;
    tokens = await loginAll(app);
    admin = tokens.admin;
    fx = await fixtures(ts.store);
    serviceCode = `E-${fx.category.code}`;
    const user = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: {
        username: 'fixmystreet',
        displayName: 'FixMyStreet',
        role: 'service',
        divisionCode: '510104',
        kind: 'service',
      },
    });
    expect(user.statusCode, user.body).toBe(201);
    const key = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: admin,
      payload: { name: 'fms', userId: user.json().user.id, permissions: ['case.read', 'case.report'] },
    });
    expect(key.statusCode, key.body).toBe(201);
    apiKey = key.json().key;
    const registered = await app.inject({
      method: 'POST',
      url: '/api/v1/open311/clients',
      headers: admin,
      payload: { apiKeyId: key.json().id, name: 'FixMyStreet', rateLimitPerMinute: 1000 },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    clientId = registered.json().id;
    o311 = new Open311Client(endpoint, apiKey);
    anon = new Open311Client(endpoint);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  it('answers discovery and the service list from the catalog, with group, keywords and metadata', async () => {
    const discovery = await both((f) => anon.discovery(f), 'discovery', 'discovery');
    expect(discovery).toMatchObject({
      endpoints: [
        { specification: 'http://wiki.open311.org/GeoReport_v2', url: endpoint, type: 'production' },
      ],
    });
    const edit = await app.inject({
      method: 'PUT',
      url: `/api/v1/open311/services/${serviceCode}`,
      headers: admin,
      payload: { keywords: ['垃圾', 'garbage'], description: '路边垃圾' },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const services: Array<Record<string, unknown>> = await both(
      (f) => anon.services(f),
      'services',
      'services',
    );
    const mine = services.find((s) => s.service_code === serviceCode);
    expect(mine).toMatchObject({
      keywords: '垃圾, garbage',
      description: '路边垃圾',
      metadata: false,
      type: 'realtime',
    });
    const cat = await sql<{ major: string; name: string }>`
      SELECT p.name AS major, c.name FROM categories c JOIN categories p ON p.id = c.parent_id WHERE c.id = ${fx.category.id}`.execute(
      ts.store.db,
    );
    expect(mine).toMatchObject({ group: cat.rows[0]?.major, service_name: cat.rows[0]?.name });
    expect(services.every((s) => /^[CE]-\d{4,7}$/.test(String(s.service_code)))).toBe(true);
  });

  it('lets admins define attributes in all six datatypes, answered as the service definition', async () => {
    const url = `/api/v1/open311/services/${serviceCode}/attributes`;
    const bad = await app.inject({
      method: 'PUT',
      url,
      headers: admin,
      payload: [{ code: 'x', datatype: 'singlevaluelist', order: 1, description: '无选项' }],
    });
    expectError(bad, 400, 'VALIDATION_FAILED');
    expectError(
      await app.inject({ method: 'PUT', url, headers: tokens.intake, payload: ATTRIBUTES }),
      403,
      'FORBIDDEN',
    );
    expectError(await app.inject({ method: 'PUT', url, payload: ATTRIBUTES }), 401, 'UNAUTHENTICATED');
    const set = await app.inject({ method: 'PUT', url, headers: admin, payload: ATTRIBUTES });
    expect(set.statusCode, set.body).toBe(200);
    const def: { service_code: string; attributes: Array<Record<string, unknown>> } = await both(
      (f) => anon.definition(serviceCode, f),
      'service_definition',
      'service_definition',
    );
    expect(def.service_code).toBe(serviceCode);
    expect(def.attributes.map((a) => a.datatype)).toEqual([
      'string',
      'number',
      'datetime',
      'text',
      'singlevaluelist',
      'multivaluelist',
      'string',
    ]);
    expect(def.attributes[5]).toMatchObject({
      code: 'kinds',
      values: [{ key: 'paper', name: '纸' }, {}, {}],
    });
    expect(def.attributes[6]).toMatchObject({ variable: false });
    const services: Array<Record<string, unknown>> = (await anon.services()).body as never;
    expect(services.find((s) => s.service_code === serviceCode)?.metadata).toBe(true);
    await both((f) => anon.definition('E-99999', f), 'errors', 'errors', 404);
  });

  const report = (extra: Record<string, string> = {}) => ({
    service_code: serviceCode,
    lat: String(fx.supervised.lat),
    long: String(fx.supervised.lng),
    description: '路口垃圾堆放三天无人清理',
    email: 'zhang.san@example.cn',
    first_name: '三',
    last_name: '张',
    phone: '13800138000',
    device_id: 'device-7781',
    account_id: 'fms-account-42',
    media_url: 'https://photos.example.cn/p/1.jpg',
    ...extra,
  });
  const answers = {
    count: '3',
    size: 'large',
    kinds: ['paper', 'metal'],
    seen_at: '2026-12-07T08:30:00+08:00',
  };

  it('takes a POST through the intake service: one case, its token, and GET answers without personal data', async () => {
    const before = await caseCount();
    const posted = await o311.submit(report(), answers, 'xml');
    expect(posted.status, posted.raw).toBe(200);
    expect(posted.root).toBe('service_requests');
    const [answer] = posted.body as Array<{ service_request_id: string; service_notice: string }>;
    expect(answer?.service_request_id).toMatch(/^510104-\d{8}-E-\d{4,}$/);
    // The spec: a token only when the id cannot be answered at once, never both.
    expect(answer).not.toHaveProperty('token');
    expect(answer?.service_notice).toMatch(/已受理/);
    expect(await caseCount()).toBe((before ?? 0) + 1);
    const stored = await sql<{ source: string; reporter_phone: string; action: string; attributes: unknown }>`
      SELECT c.source, c.reporter_phone, e.action, r.attributes FROM cases c
      JOIN case_events e ON e.case_id = c.id AND e.seq = 1
      JOIN open311_requests r ON r.case_id = c.id
      WHERE c.number = ${answer?.service_request_id}`.execute(ts.store.db);
    expect(stored.rows[0]).toMatchObject({
      source: 'open311',
      reporter_phone: '13800138000',
      action: 'report',
      attributes: {
        count: '3',
        size: 'large',
        kinds: ['paper', 'metal'],
        seen_at: '2026-12-07T08:30:00+08:00',
      },
    });
    // The case shows in the console like any other, with its channel.
    const cases = casesClient(app, tokens);
    const id = (
      await sql<{ id: number }>`SELECT id FROM cases WHERE number = ${answer?.service_request_id}`.execute(
        ts.store.db,
      )
    ).rows[0]?.id;
    expect((await cases.call('intake', 'GET', `/api/v1/cases/${id}`)).json()).toMatchObject({
      source: 'open311',
    });

    // Tokens are kept for every request (GET tokens/{token} resolves them) though none is handed out.
    const stored311 = (
      await sql<{ token: string }>`SELECT r.token FROM open311_requests r JOIN cases c ON c.id = r.case_id
        WHERE c.number = ${answer?.service_request_id}`.execute(ts.store.db)
    ).rows[0]?.token;
    const token: Array<{ service_request_id: string }> = await both(
      (f) => anon.token(stored311 ?? '', f),
      'tokens',
      'service_requests',
    );
    expect(token).toEqual([{ service_request_id: answer?.service_request_id, token: stored311 }]);
    const one: Array<Record<string, unknown>> = await both(
      (f) => anon.request(answer?.service_request_id ?? '', f),
      'service_requests',
      'service_requests',
    );
    expect(one[0]).toMatchObject({
      service_request_id: answer?.service_request_id,
      status: 'open',
      service_code: serviceCode,
      description: '路口垃圾堆放三天无人清理',
      media_url: 'https://photos.example.cn/p/1.jpg',
    });
    expect(String(one[0]?.requested_datetime)).toMatch(/\+08:00$/);
    for (const f of ['json', 'xml'] as const) {
      const raw = (await anon.request(answer?.service_request_id ?? '', f, { extensions: 'true' })).raw;
      for (const personal of ['zhang.san', '13800138000', 'device-7781', 'fms-account-42', '张']) {
        expect(raw).not.toContain(personal);
      }
    }
  });

  it('creates one case for a report sent twice with the same external id, and refuses the id for another body', async () => {
    const before = await caseCount();
    const first = await o311.submit(report(), { ...answers, fixmystreet_id: 'fms-1001' });
    const again = await o311.submit(report(), { ...answers, fixmystreet_id: 'fms-1001' });
    expect(first.status, first.raw).toBe(200);
    const same = (a: Answer) => (a.body as Array<Record<string, unknown>>).map((r) => r.service_request_id);
    expect(again.status).toBe(200);
    expect(same(again)).toEqual(same(first));
    conforms('post_answer', again.body);
    const [firstAnswer] = first.body as Array<{ service_notice: string }>;
    const [againAnswer] = again.body as Array<{ service_notice: string }>;
    expect(firstAnswer?.service_notice).not.toMatch(/重复提交/);
    expect(againAnswer?.service_notice).toContain(`重复提交：该报告已于`);
    expect(againAnswer?.service_notice).toContain(String(same(first)[0]));
    const header = await o311.submit(report({ description: '另一处' }), answers, 'json', {
      'idempotency-key': 'k-77',
    });
    const headerAgain = await o311.submit(report({ description: '另一处' }), answers, 'json', {
      'idempotency-key': 'k-77',
    });
    expect(same(headerAgain)).toEqual(same(header));
    expect(same(header)).not.toEqual(same(first));
    expect(await caseCount()).toBe((before ?? 0) + 2);
    const other = await o311.submit(report({ description: '内容不同' }), {
      ...answers,
      fixmystreet_id: 'fms-1001',
    });
    expect(other.status).toBe(400);
    conforms('errors', other.body);
    expect(await caseCount()).toBe((before ?? 0) + 2);
  });

  it('answers a repeat of the same POST by the same client with the first request, not a second one', async () => {
    const before = await caseCount();
    const body = report({ description: '同一市民连点两次提交' });
    const first = await o311.submit(body, answers, 'xml');
    const again = await o311.submit(body, answers, 'xml');
    const third = await o311.submit(body, answers, 'json');
    expect(first.status, first.raw).toBe(200);
    const [a] = first.body as Array<Record<string, string>>;
    const [b] = again.body as Array<Record<string, string>>;
    const [c3] = third.body as Array<Record<string, string>>;
    expect(b?.service_request_id).toBe(a?.service_request_id);
    expect(c3?.service_request_id).toBe(a?.service_request_id);
    conforms('post_answer', third.body);
    expect(a?.service_notice).toMatch(/已受理/);
    expect(b?.service_notice).toMatch(new RegExp(`^重复提交.*${a?.service_request_id}`));
    // XML as the spec's example: the id, the notice, an empty account_id, and no token.
    expect(again.raw).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?><service_requests><request><service_request_id>[^<]+<\/service_request_id><service_notice>[^<]+<\/service_notice><account_id><\/account_id><\/request><\/service_requests>$/,
    );
    expect(await caseCount()).toBe((before ?? 0) + 1);
    // Other parameters are another report.
    const other = await o311.submit(report({ description: '同一地点另一问题' }), answers);
    const [d] = other.body as Array<Record<string, string>>;
    expect(d?.service_request_id).not.toBe(a?.service_request_id);
    expect(await caseCount()).toBe((before ?? 0) + 2);
    // Past the window the same parameters are a new report (the first request made older here).
    await sql`UPDATE open311_requests SET created_at = now() - interval '11 minutes'
      WHERE case_id = (SELECT id FROM cases WHERE number = ${a?.service_request_id})`.execute(ts.store.db);
    const later = await o311.submit(body, answers);
    const [e] = later.body as Array<Record<string, string>>;
    expect(e?.service_request_id).not.toBe(a?.service_request_id);
    expect(e?.service_notice).not.toMatch(/重复提交/);
    expect(await caseCount()).toBe((before ?? 0) + 3);
  });

  it("answers the spec's errors as an error list (400/403/404) and changes nothing", async () => {
    const before = await caseCount();
    const expectList = async (a: Promise<Answer>, status: number, text: RegExp) => {
      const res = await a;
      expect(res.status, res.raw).toBe(status);
      const body = res.body as Array<{ code: string | number; description: string }>;
      if (res.root === null) conforms('errors', body);
      else expect(res.root).toBe('errors');
      expect(String(body[0]?.code)).toBe(String(status));
      expect(body[0]?.description).toMatch(text);
    };
    for (const f of ['json', 'xml'] as const) {
      await expectList(anon.submit(report(), answers, f), 403, /api_key is required/);
      await expectList(
        new Open311Client(endpoint, 'clk_bad_key').submit(report(), answers, f),
        403,
        /api_key/,
      );
      await expectList(o311.submit(report({ service_code: 'E-99999' }), answers, f), 400, /service_code/);
      await expectList(
        o311.submit(report({ service_code: '' }), answers, f),
        400,
        /service_code is required/,
      );
      await expectList(
        o311.submit(report({ lat: '', long: '' }), answers, f),
        400,
        /lat & long, address_string or address_id/,
      );
      await expectList(o311.submit(report({ lat: '95' }), answers, f), 400, /lat/);
      await expectList(o311.submit(report({ lat: '0', long: '0' }), answers, f), 400, /outside/);
      await expectList(o311.submit(report(), { ...answers, size: 'huge' }, f), 400, /attribute\[size\]/);
      await expectList(o311.submit(report(), { ...answers, count: 'many' }, f), 400, /attribute\[count\]/);
      await expectList(o311.submit(report(), { size: 'small' }, f), 400, /attribute\[count\]: required/);
      await expectList(
        o311.submit(report(), { ...answers, kinds: ['paper', 'gold'] }, f),
        400,
        /attribute\[kinds\]/,
      );
      await expectList(o311.submit(report({ media_url: 'ftp://x' }), answers, f), 400, /media_url/);
      await expectList(anon.request('510104-20990101-E-0001', f), 404, /No such service request/);
      await expectList(anon.token('00000000-0000-4000-8000-000000000000', f), 404, /No such token/);
      await expectList(anon.token('not-a-token', f), 404, /No such token/);
      await expectList(
        anon.requests({ start_date: '2026-01-01T00:00:00+08:00', end_date: '2026-06-01T00:00:00+08:00' }, f),
        400,
        /90 days/,
      );
      await expectList(anon.requests({ start_date: 'yesterday' }, f), 400, /start_date/);
      await expectList(anon.requests({ status: 'pending' }, f), 400, /status/);
      await expectList(anon.updates({}, f), 403, /api_key is required/);
    }
    const html = await fetch(`${endpoint}services.html`);
    expect(html.status).toBe(404);
    expect(await html.text()).toContain('<errors><error><code>404</code>');
    const jsonBody = await fetch(`${endpoint}requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: apiKey }),
    });
    expect(jsonBody.status).toBe(415);
    expect(await caseCount()).toBe(before);
  });

  it('filters GET requests by ids (overriding the rest), service, status, dates, and pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await o311.submit(report({ description: `筛选测试 ${i}` }), answers);
      ids.push((res.body as Array<{ service_request_id: string }>)[0]?.service_request_id ?? '');
    }
    const cases = casesClient(app, tokens);
    const idOf = async (n: string) =>
      (await sql<{ id: number }>`SELECT id FROM cases WHERE number = ${n}`.execute(ts.store.db)).rows[0]
        ?.id as number;
    await cases.ok('shiftlead', await idOf(ids[0] as string), 'reject', { reason: '不属于城管受理范围' });

    const numbers = (body: unknown) =>
      (body as Array<{ service_request_id: string }>).map((r) => r.service_request_id);
    const closed = await both(
      (f) => anon.requests({ status: 'closed' }, f),
      'service_requests',
      'service_requests',
    );
    expect(numbers(closed)).toContain(ids[0]);
    expect(numbers(closed)).not.toContain(ids[1]);
    const open = numbers((await anon.requests({ status: 'open', service_code: serviceCode })).body);
    expect(open).toEqual(expect.arrayContaining([ids[1], ids[2]]));
    expect(open).not.toContain(ids[0]);
    // The ids list overrides every other filter (here a status that would exclude two of them).
    const listed = numbers(
      (await anon.requests({ service_request_id: ids.join(','), status: 'closed', service_code: 'E-0000' }))
        .body,
    );
    expect(listed.sort()).toEqual([...ids].sort());
    const future = numbers((await anon.requests({ start_date: '2099-01-01T00:00:00Z' })).body);
    expect(future).toEqual([]);
    const page1 = numbers((await anon.requests({ page_size: '2', page: '1' })).body);
    const page2 = numbers((await anon.requests({ page_size: '2', page: '2' })).body);
    expect(page1).toHaveLength(2);
    expect(page2.some((n) => page1.includes(n))).toBe(false);
    const all = numbers((await anon.requests({})).body);
    expect(all.slice(0, 4)).toEqual([...page1, ...page2].slice(0, 4));
    // Empty optional parameters are the same as none.
    expect(numbers((await anon.requests({ status: '', service_code: '', start_date: '' })).body)).toEqual(
      all,
    );
    const rejected = (await anon.request(ids[0] as string)).body as Array<Record<string, unknown>>;
    expect(rejected[0]).toMatchObject({ status: 'closed', status_notes: '不予立案' });
  });

  it('serves servicerequestupdates both ways: state changes out, client updates in (once per update_id)', async () => {
    const posted = await o311.submit(report({ description: '更新测试' }), answers);
    const number = (posted.body as Array<{ service_request_id: string }>)[0]?.service_request_id as string;
    const id = (await sql<{ id: number }>`SELECT id FROM cases WHERE number = ${number}`.execute(ts.store.db))
      .rows[0]?.id as number;
    await casesClient(app, tokens).ok('intake', id, 'request_verification');
    const updates: Array<Record<string, unknown>> = await both(
      (f) => o311.updates({}, f),
      'service_request_updates',
      'service_request_updates',
    );
    expect(updates.filter((u) => u.service_request_id === number)).toEqual([
      expect.objectContaining({ status: 'INVESTIGATING', external_status_code: 'verifying' }),
    ]);
    const fields = {
      update_id: 'fms-update-1',
      service_request_id: number,
      status: 'OPEN',
      updated_datetime: '2026-12-07T10:00:00+08:00',
      description: '问题仍然存在，请尽快处理',
      email: 'li.si@example.cn',
      first_name: '四',
      last_name: '李',
    };
    const first = await o311.postUpdate(fields, 'xml');
    expect(first.status, first.raw).toBe(200);
    expect(first.root).toBe('service_request_updates');
    const again = await o311.postUpdate(fields);
    conforms('update_answer', again.body);
    expect(asText(again.body)).toEqual(first.body);
    const seen = await app.inject({
      method: 'GET',
      url: `/api/v1/open311/cases/${number}/updates`,
      headers: tokens.intake,
    });
    expect(seen.json()).toEqual([
      expect.objectContaining({
        client: 'FixMyStreet',
        updateId: 'fms-update-1',
        status: 'OPEN',
        description: '问题仍然存在，请尽快处理',
      }),
    ]);
    const bad = await o311.postUpdate({ ...fields, update_id: 'fms-update-2', status: 'MAYBE' });
    expect(bad.status).toBe(400);
    const unknown = await o311.postUpdate({
      ...fields,
      update_id: 'fms-update-3',
      service_request_id: '510104-20990101-E-0001',
    });
    expect(unknown.status).toBe(404);
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM open311_updates`.execute(
      ts.store.db,
    );
    expect(count.rows[0]?.n).toBe(1);
  });

  it('maps states by the editable table, and limits each client to its own rate', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/open311/status-map/verifying',
      headers: admin,
      payload: { status: 'open', extended: 'IN_PROGRESS', notes: '现场核实中' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expectError(
      await app.inject({
        method: 'PUT',
        url: '/api/v1/open311/status-map/pending_filing',
        headers: tokens.intake,
        payload: { status: 'open', extended: 'OPEN' },
      }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await app.inject({
        method: 'PUT',
        url: '/api/v1/open311/status-map/nowhere',
        headers: admin,
        payload: { status: 'open', extended: 'OPEN' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    const updates = (await o311.updates()).body as Array<Record<string, unknown>>;
    expect(updates.some((u) => u.external_status_code === 'verifying' && u.status === 'IN_PROGRESS')).toBe(
      true,
    );

    const limited = await app.inject({
      method: 'PATCH',
      url: `/api/v1/open311/clients/${clientId}`,
      headers: admin,
      payload: { rateLimitPerMinute: 2 },
    });
    expect(limited.statusCode, limited.body).toBe(200);
    // Five calls span at most two one-minute windows: at least one is over a limit of two.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await o311.services()).status);
    expect(statuses).toContain(429);
    const refused = await o311.services('xml');
    if (refused.status === 429) expect(refused.root).toBe('errors');
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/open311/clients/${clientId}`,
      headers: admin,
      payload: { rateLimitPerMinute: 1000 },
    });
    const off = await app.inject({
      method: 'PATCH',
      url: `/api/v1/open311/clients/${clientId}`,
      headers: admin,
      payload: { active: false },
    });
    expect(off.json()).toMatchObject({ active: false });
    expect((await o311.submit(report(), answers)).status).toBe(403);
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/open311/clients/${clientId}`,
      headers: admin,
      payload: { active: true },
    });
  });
});
