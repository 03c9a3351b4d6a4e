import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { expectError } from '../cases/testkit.js';
import { jpegWithMetadata, tinyJpeg } from '../media/test-images.js';
import { phoneCodeSender } from './phone.js';
import { type PortalBed, portalTestbed } from './testkit.js';

const PHONE = '13800138000';

describe.each(testStores())('citizen portal guards (%s)', (kind) => {
  const { bed, dataDir, anon, upload, reportBody } = portalTestbed(kind, 'cityloop-public-guards-');
  let ts: PortalBed['ts'];
  let c: PortalBed['c'];
  beforeAll(() => {
    ({ ts, c } = bed);
  });
  const count = async (table: 'cases' | 'public_reports' | 'media' | 'public_ratings') =>
    Number(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(ts.store.db))
        .rows[0]?.n,
    );

  it('answers 400/404/415 to bad input and writes nothing', async () => {
    const staffPhoto = await c.upload('supervisor');
    const before = await Promise.all([count('cases'), count('public_reports'), count('media')]);
    const bad: Array<[unknown, string]> = [
      [{ description: 'x', location: reportBody().location }, 'VALIDATION_FAILED'],
      [reportBody({ categoryCode: '0102', kind: 'event' }), 'VALIDATION_FAILED'],
      [reportBody({ category: 'ufo' }), 'VALIDATION_FAILED'],
      [reportBody({ extra: 1 }), 'VALIDATION_FAILED'],
      [reportBody({ phone: '123' }), 'VALIDATION_FAILED'],
      [reportBody({ location: { lng: 104, lat: 30, crs: 'mars' } }), 'VALIDATION_FAILED'],
      [
        { ...reportBody(), category: undefined, categoryCode: '9999', kind: 'event' },
        'CASE_CATEGORY_UNKNOWN',
      ],
      [reportBody({ location: { lng: 10, lat: 10, crs: 'wgs84' } }), 'PUBLIC_LOCATION_OUTSIDE'],
      [reportBody({ location: undefined }), 'PUBLIC_LOCATION_REQUIRED'],
      [reportBody({ location: undefined, address: '火星大道99999号' }), 'PUBLIC_ADDRESS_NOT_FOUND'],
      [reportBody({ photos: ['a'.repeat(64)] }), 'PUBLIC_PHOTO_UNKNOWN'],
    ];
    for (const [payload, code] of bad) {
      expectError(await anon('POST', '/api/v1/public/reports', payload), 400, code);
    }
    // A staff photo cannot be attached to a citizen report.
    expectError(
      await anon('POST', '/api/v1/public/reports', reportBody({ photos: [staffPhoto] })),
      400,
      'PUBLIC_PHOTO_UNKNOWN',
    );
    expectError(
      await anon('POST', '/api/v1/public/reports', reportBody(), { 'x-device-id': 'bad id!' }),
      400,
      'PUBLIC_DEVICE_ID_INVALID',
    );
    expectError(await anon('GET', '/api/v1/public/reports/short'), 400, 'VALIDATION_FAILED');
    expectError(await anon('GET', '/api/v1/public/reports/ABCDEFGHJK'), 404, 'PUBLIC_TRACKING_CODE_UNKNOWN');
    expectError(
      await anon('POST', '/api/v1/public/reports/ABCDEFGHJK/rating', { satisfaction: 6 }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await anon('POST', '/api/v1/public/reports/ABCDEFGHJK/rating', { satisfaction: 4 }),
      404,
      'PUBLIC_TRACKING_CODE_UNKNOWN',
    );
    expectError(
      await anon('POST', '/api/v1/public/verify-phone', { phone: PHONE }),
      404,
      'PUBLIC_PHONE_VERIFY_DISABLED',
    );
    expectError(await anon('GET', '/api/v1/public/map.geojson?bbox=1,2,3'), 400, 'VALIDATION_FAILED');
    expectError(await anon('GET', '/api/v1/public/map.geojson?bbox=104,30,106,31'), 400, 'VALIDATION_FAILED');
    // Coordinates are decimal text: what Number() would also take (hex, exponent, blanks) is refused.
    for (const bbox of [
      '0x68,30,104.1,30.1',
      '104e0,30,104.1,30.1',
      '104,30, 104.1,30.1',
      '104,30,104.1,[30.1]',
    ]) {
      expectError(await anon('GET', `/api/v1/public/map.geojson?bbox=${bbox}`), 400, 'VALIDATION_FAILED');
    }
    expectError(await anon('GET', '/api/v1/public/cases?limit=1000'), 400, 'VALIDATION_FAILED');
    expectError(await anon('GET', '/api/v1/public/stats?days=0'), 400, 'VALIDATION_FAILED');
    expectError(
      await c.call('intake', 'POST', '/api/v1/public/moderation/1', { decision: 'maybe' }),
      400,
      'VALIDATION_FAILED',
    );
    // Uploads: declared type must match the bytes, the structure must parse, JSON is no photo.
    expectError(await upload(tinyJpeg(), 'image/png'), 415, 'MEDIA_TYPE_MISMATCH');
    expectError(await upload(Buffer.from('hello'), 'image/jpeg'), 415, 'MEDIA_TYPE_MISMATCH');
    expectError(await upload(jpegWithMetadata().subarray(0, 60)), 415, 'MEDIA_IMAGE_MALFORMED');
    expectError(await anon('POST', '/api/v1/public/media', { a: 1 }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(
      await upload(Buffer.concat([tinyJpeg(), Buffer.alloc(5 * 1024 * 1024)])),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expect(await Promise.all([count('cases'), count('public_reports'), count('media')])).toEqual(before);
  });

  describe('with phone verification on and tight limits', () => {
    let strict: ApiApp;
    const sent: Array<{ phone: string; code: string }> = [];
    const original = phoneCodeSender.send;
    beforeAll(async () => {
      strict = await testApp(ts.store, {
        DATA_DIR: dataDir,
        PUBLIC_PHONE_VERIFY: 'true',
        PUBLIC_RATE_LIMIT_PER_DEVICE: '3',
        PUBLIC_RATE_LIMIT_PER_IP: '1000',
      });
      phoneCodeSender.send = async (phone, code) => {
        sent.push({ phone, code });
      };
    });
    afterAll(async () => {
      phoneCodeSender.send = original;
      await strict?.close();
    });
    const post = (url: string, payload: unknown, device: string) =>
      strict.inject({
        method: 'POST',
        url,
        headers: { 'x-device-id': device },
        payload: payload as Record<string, unknown>,
      });

    it('limits posts per device with 429 RATE_LIMITED and Retry-After', async () => {
      const shot = (device: string) =>
        strict.inject({
          method: 'POST',
          url: '/api/v1/public/media',
          headers: { 'content-type': 'image/jpeg', 'x-device-id': device },
          payload: tinyJpeg(),
        });
      for (let i = 0; i < 3; i++) expect((await shot('device-flood-001')).statusCode).toBe(201);
      const refused = await shot('device-flood-001');
      expectError(refused, 429, 'RATE_LIMITED');
      expect(refused.json().error.message).toMatch(/^提交过于频繁，请 \d+ 秒后再试$/);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect((await shot('device-other-001')).statusCode).toBe(201);
    });

    it('asks for an SMS code when a phone is given, checks it with an attempts limit, uses it once', async () => {
      const withPhone = (verification?: { id: string; code: string }) =>
        reportBody({ phone: PHONE, ...(verification ? { phoneVerification: verification } : {}) });
      expectError(
        await post('/api/v1/public/reports', withPhone(), 'device-phone-01'),
        400,
        'PUBLIC_PHONE_CODE_REQUIRED',
      );
      const sentRes = await post('/api/v1/public/verify-phone', { phone: PHONE }, 'device-phone-01');
      expect(sentRes.statusCode, sentRes.body).toBe(201);
      const { id } = sentRes.json();
      const code = sent.at(-1)?.code as string;
      expect(code).toMatch(/^[0-9]{6}$/);
      const stored = await ts.store.db
        .selectFrom('public_phone_codes')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(stored.code_hash).not.toContain(code);
      const wrong = code === '000000' ? '000001' : '000000';
      const miss = await post('/api/v1/public/reports', withPhone({ id, code: wrong }), 'device-phone-02');
      expectError(miss, 400, 'PUBLIC_PHONE_CODE_WRONG');
      expect(miss.json().error.details).toEqual({ attemptsLeft: 4 });
      const ok = await post('/api/v1/public/reports', withPhone({ id, code }), 'device-phone-02');
      expect(ok.statusCode, ok.body).toBe(201);
      expectError(
        await post('/api/v1/public/reports', withPhone({ id, code }), 'device-phone-03'),
        400,
        'PUBLIC_PHONE_CODE_EXPIRED',
      );
      // Five wrong guesses burn a code, even for the right one afterwards.
      const second = (await post('/api/v1/public/verify-phone', { phone: PHONE }, 'device-phone-04')).json();
      const right = sent.at(-1)?.code as string;
      const guess = right === '111111' ? '222222' : '111111';
      for (let i = 0; i < 5; i++) {
        await strict.inject({
          method: 'POST',
          url: '/api/v1/public/reports',
          payload: withPhone({ id: second.id, code: guess }),
          headers: { 'x-device-id': `device-guess-0${i}` },
        });
      }
      expectError(
        await post('/api/v1/public/reports', withPhone({ id: second.id, code: right }), 'device-phone-05'),
        400,
        'PUBLIC_PHONE_CODE_EXPIRED',
      );
    });
  });
});
