/** 401 / 403 / 400 of every cases, media and calendar endpoint, and the calendar edits. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, expectError, type Fixtures, fixtures, loginAll, PNG, type Tokens } from './testkit.js';

describe.each(testStores())('cases, media and calendar API guards (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  let caseId: number;
  let photo: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-cases-api-'));

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store, { DATA_DIR: dataDir });
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
    photo = await c.upload('supervisor');
    caseId = (await c.report('supervisor', body())).id;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const body = (extra: Record<string, unknown> = {}) => ({
    source: 'supervisor',
    kind: 'event',
    categoryCode: fx.category.code,
    lng: fx.supervised.lng,
    lat: fx.supervised.lat,
    address: '测试地址',
    description: '测试描述',
    ...extra,
  });
  const count = async (table: 'cases' | 'case_events' | 'media' | 'calendar_days') =>
    Number(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(ts.store.db))
        .rows[0]?.n,
    );

  const ENDPOINTS = () =>
    [
      ['POST', '/api/v1/cases', body()],
      ['GET', '/api/v1/cases'],
      ['GET', '/api/v1/cases/queues'],
      ['GET', `/api/v1/cases/${caseId}`],
      ['GET', `/api/v1/cases/${caseId}/actions`],
      ['GET', `/api/v1/cases/${caseId}/events`],
      ['POST', `/api/v1/cases/${caseId}/actions/intake`, { version: 1 }],
      ['GET', `/api/v1/media/${photo}`],
      ['GET', '/api/v1/calendars'],
      ['GET', '/api/v1/calendars/office'],
    ] as const;

  it('answers 401 without a login and 403 to a citizen on every endpoint', async () => {
    for (const [method, url, payload] of ENDPOINTS()) {
      const anon = await app.inject({ method, url, ...(payload ? { payload } : {}) });
      expectError(anon, 401, 'UNAUTHENTICATED');
      const citizen = await c.call('citizen', method, url, payload);
      expectError(citizen, 403, 'FORBIDDEN');
    }
    const upload = { method: 'POST' as const, url: '/api/v1/media', payload: PNG };
    expectError(
      await app.inject({ ...upload, headers: { 'content-type': 'image/png' } }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(
      await app.inject({ ...upload, headers: { ...tokens.citizen, 'content-type': 'image/png' } }),
      403,
      'FORBIDDEN',
    );
    // Calendar edits are for admins.
    expectError(
      await c.call('dispatcher', 'PUT', '/api/v1/calendars/office/years/2027', {
        holidays: [],
        makeupWorkdays: [],
      }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await app.inject({
        method: 'PUT',
        url: '/api/v1/calendars/office/years/2027',
        payload: { holidays: [], makeupWorkdays: [] },
      }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('answers 400 to bad input and writes nothing', async () => {
    const before = await Promise.all([count('cases'), count('case_events'), count('media')]);
    const bad: Array<[string, string, unknown, string]> = [
      ['POST', '/api/v1/cases', body({ extra: 1 }), 'VALIDATION_FAILED'],
      ['POST', '/api/v1/cases', body({ lng: 'x' }), 'VALIDATION_FAILED'],
      ['POST', '/api/v1/cases', body({ source: 'public' }), 'VALIDATION_FAILED'],
      ['POST', '/api/v1/cases', body({ categoryCode: '9999' }), 'CASE_CATEGORY_UNKNOWN'],
      ['POST', '/api/v1/cases', body({ lng: 10, lat: 10 }), 'CASE_LOCATION_UNKNOWN'],
      ['POST', '/api/v1/cases', body({ photos: ['0'.repeat(64)] }), 'CASE_PHOTO_UNKNOWN'],
      ['GET', '/api/v1/cases?queue=nope', undefined, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/cases?cursor=bad', undefined, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/cases/queues?x=1', undefined, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/cases/abc', undefined, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/cases/abc/actions', undefined, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/cases/abc/events', undefined, 'VALIDATION_FAILED'],
      ['POST', `/api/v1/cases/${caseId}/actions/intake`, {}, 'VALIDATION_FAILED'],
      ['POST', `/api/v1/cases/${caseId}/actions/intake`, { version: 1, foo: 1 }, 'VALIDATION_FAILED'],
      ['POST', `/api/v1/cases/${caseId}/actions/fly`, { version: 1 }, 'VALIDATION_FAILED'],
      ['POST', `/api/v1/cases/${caseId}/actions/overdue`, { version: 1 }, 'VALIDATION_FAILED'],
      [
        'POST',
        `/api/v1/cases/${caseId}/actions/extend_request`,
        { version: 1, reason: 'x', amount: -1, unit: 'minutes' },
        'VALIDATION_FAILED',
      ],
      ['GET', '/api/v1/media/xyz', undefined, 'VALIDATION_FAILED'],
    ];
    for (const [method, url, payload, code] of bad) {
      const user = method === 'POST' && url === '/api/v1/cases' ? 'supervisor' : 'intake';
      const res = await c.call(user, method as 'GET', url, payload);
      expectError(res, 400, code);
    }
    // Media: JSON is not a photo, the declared type must match the bytes.
    expectError(await c.call('supervisor', 'POST', '/api/v1/media', { a: 1 }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const mismatch = await app.inject({
      method: 'POST',
      url: '/api/v1/media',
      headers: { ...tokens.supervisor, 'content-type': 'image/jpeg' },
      payload: PNG,
    });
    expectError(mismatch, 415, 'MEDIA_TYPE_MISMATCH');
    const text = await app.inject({
      method: 'POST',
      url: '/api/v1/media',
      headers: { ...tokens.supervisor, 'content-type': 'image/png' },
      payload: Buffer.from('not an image'),
    });
    expectError(text, 415, 'MEDIA_TYPE_MISMATCH');
    expect(await Promise.all([count('cases'), count('case_events'), count('media')])).toEqual(before);
  });

  it('lets admins edit calendars with validation, and the store keeps the 2026 holidays', async () => {
    const office = (await c.call('dispatcher', 'GET', '/api/v1/calendars/office')).json();
    expect(office.holidays).toContain('2026-10-01');
    expect(office.makeupWorkdays).toContain('2026-02-14');
    expect(office.weeklyHours['1']).toEqual([
      [510, 720],
      [810, 1050],
    ]);
    const supervision = (await c.call('supervisor', 'GET', '/api/v1/calendars/supervision')).json();
    expect(supervision.weeklyHours['0']).toEqual([[480, 1260]]);
    expectError(await c.call('admin', 'GET', '/api/v1/calendars/nope'), 404, 'NOT_FOUND');

    const days = await count('calendar_days');
    const overlap = await c.call('admin', 'PUT', '/api/v1/calendars/office', {
      name: '办公时间',
      utcOffsetMinutes: 480,
      weeklyHours: {
        0: [],
        1: [
          [510, 800],
          [700, 1050],
        ],
        2: [],
        3: [],
        4: [],
        5: [],
        6: [],
      },
    });
    expectError(overlap, 400, 'CALENDAR_INVALID');
    expect(overlap.json().error.details.problems[0].code).toBe('PERIODS_OVERLAP');
    expectError(
      await c.call('admin', 'PUT', '/api/v1/calendars/office', { name: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
    const both = await c.call('admin', 'PUT', '/api/v1/calendars/office/years/2027', {
      holidays: [{ date: '2027-01-01' }],
      makeupWorkdays: [{ date: '2027-01-01' }],
    });
    expectError(both, 400, 'CALENDAR_INVALID');
    const wrongYear = await c.call('admin', 'PUT', '/api/v1/calendars/office/years/2027', {
      holidays: [{ date: '2028-01-01' }],
      makeupWorkdays: [],
    });
    expectError(wrongYear, 400, 'CALENDAR_INVALID');
    expect(await count('calendar_days')).toBe(days);

    const ok = await c.call('admin', 'PUT', '/api/v1/calendars/office/years/2027', {
      holidays: [{ date: '2027-01-01', note: '元旦' }],
      makeupWorkdays: [{ date: '2027-01-03', note: '元旦调休' }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ notes: { '2027-01-01': '元旦' } });
    expect(ok.json().holidays).toEqual(expect.arrayContaining(['2026-10-01', '2027-01-01']));
    const hours = await c.call('admin', 'PUT', '/api/v1/calendars/supervision', {
      name: '监督员巡查时间',
      utcOffsetMinutes: 480,
      weeklyHours: {
        0: [[480, 1200]],
        1: [[480, 1200]],
        2: [[480, 1200]],
        3: [[480, 1200]],
        4: [[480, 1200]],
        5: [[480, 1200]],
        6: [[480, 1200]],
      },
    });
    expect(hours.statusCode, hours.body).toBe(200);
    expect((await c.call('admin', 'GET', '/api/v1/calendars/supervision')).json().weeklyHours['3']).toEqual([
      [480, 1200],
    ]);
    const audit = await sql<{
      action: string;
    }>`SELECT action FROM audit_log WHERE action LIKE 'calendar.%' ORDER BY id`.execute(ts.store.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['calendar.replace_year', 'calendar.update']);
  });
});
