/** The citizen portal end to end on both stores: report, follow, rate, public views, moderation. */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testStores } from '../../../test/helpers/stores.js';
import { fromWgs84 } from '../../domain/geo/crs.js';
import { expectError } from '../cases/testkit.js';
import { jpegWithMetadata, tinyJpeg } from '../media/test-images.js';
import { type PortalBed, portalTestbed } from './testkit.js';

const PHONE = '13800138000';

describe.each(testStores())('citizen portal (%s)', (kind) => {
  const { bed, dataDir, anon, upload, reportBody } = portalTestbed(kind, 'cityloop-public-');
  let ts: PortalBed['ts'];
  let app: PortalBed['app'];
  let fx: PortalBed['fx'];
  let c: PortalBed['c'];
  beforeAll(() => {
    ({ ts, app, fx, c } = bed);
  });
  const caseOf = async (code: string) =>
    (
      await sql<{ id: number; source: string; reporter_phone: string | null }>`
        SELECT c.id, c.source, c.reporter_phone FROM public_reports p JOIN cases c ON c.id = p.case_id
        WHERE p.tracking_code = ${code}`.execute(ts.store.db)
    ).rows[0];

  it('takes a report without an account, strips photo GPS, and follows it to a single rating', async () => {
    const photo = await upload(jpegWithMetadata());
    expect(photo.statusCode, photo.body).toBe(201);
    const sha = photo.json().sha256 as string;
    const stored = fs.readFileSync(path.join(dataDir, 'media', sha.slice(0, 2), sha));
    expect(stored.includes(Buffer.from('Exif'))).toBe(false);
    expect(stored.includes(Buffer.from('GPS'))).toBe(false);
    expect(stored.equals(tinyJpeg())).toBe(true);

    const res = await anon('POST', '/api/v1/public/reports', reportBody({ photos: [sha], phone: PHONE }));
    expect(res.statusCode, res.body).toBe(201);
    const { trackingCode } = res.json();
    expect(trackingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(res.json()).toMatchObject({ status: 'reported', statusLabel: { zh: '已上报，待受理' } });
    const k = await caseOf(trackingCode);
    expect(k).toMatchObject({ source: 'public', reporter_phone: PHONE });
    expect(String(k?.id)).not.toBe(trackingCode);

    // The centre sees it among public-channel cases, with the phone for the intake operator.
    const center = (await c.call('intake', 'GET', '/api/v1/cases?source=public')).json();
    const seen = center.items.find((x: { id: number }) => x.id === k?.id);
    expect(seen).toMatchObject({ source: 'public', reporter: { phone: PHONE, role: 'service' } });
    // Not filed yet: not on the public list.
    const early = (await anon('GET', '/api/v1/public/cases?limit=100')).json();
    expect(early.items.map((x: { address: string }) => x.address)).not.toContain(seen.address);

    const id = k?.id as number;
    expectError(
      await anon('POST', `/api/v1/public/reports/${trackingCode}/rating`, { satisfaction: 5 }),
      409,
      'PUBLIC_RATING_NOT_CLOSED',
    );
    await c.ok('intake', id, 'request_verification');
    await c.ok('supervisor', id, 'verify');
    await c.ok('shiftlead', id, 'file');
    await c.ok('dispatcher', id, 'dispatch', { departmentCode: 'SZ-01' });
    const mid = (await anon('GET', `/api/v1/public/reports/${trackingCode}`)).json();
    expect(mid).toMatchObject({ status: 'handling', canRate: false });
    await c.ok('dept', id, 'sign');
    await c.ok('handler', id, 'feedback', { photos: [await c.upload('handler')] });
    await c.ok('intake', id, 'request_check');
    await c.ok('supervisor', id, 'check_pass');
    await c.ok('shiftlead', id, 'close');

    const closed = await anon('GET', `/api/v1/public/reports/${trackingCode.toLowerCase()}`);
    expect(closed.statusCode, closed.body).toBe(200);
    const status = closed.json();
    expect(status).toMatchObject({ status: 'closed', canRate: true, rating: null, category: '暴露垃圾' });
    expect(status.timeline.map((s: { step: string }) => s.step)).toEqual([
      'reported',
      'accepted',
      'filed',
      'dispatched',
      'handled',
      'closed',
    ]);
    // No staff names or accounts anywhere in what the citizen sees.
    for (const staff of ['shiftlead', 'dispatcher', 'handler', 'supervisor', 'actor', 'SZ-01']) {
      expect(closed.body).not.toContain(staff);
    }

    const rated = await anon('POST', `/api/v1/public/reports/${trackingCode}/rating`, {
      satisfaction: '满意',
      comment: '处理很快，谢谢',
    });
    expect(rated.statusCode, rated.body).toBe(201);
    expect(rated.json()).toMatchObject({ satisfaction: 5 });
    expectError(
      await anon('POST', `/api/v1/public/reports/${trackingCode}/rating`, { satisfaction: 1 }),
      409,
      'PUBLIC_RATING_EXISTS',
    );
    expect((await anon('GET', `/api/v1/public/reports/${trackingCode}`)).json()).toMatchObject({
      canRate: false,
      rating: { satisfaction: 5 },
    });

    // Public list and map: filed, no personal data, rounded position, text only after moderation.
    const list = (await anon('GET', '/api/v1/public/cases?limit=100&state=closed')).json();
    const item = list.items.find((x: { address: string }) => x.address === seen.address);
    expect(item).toMatchObject({
      status: 'closed',
      description: null,
      photos: [],
      satisfaction: 5,
      ratingComment: null,
    });
    for (const absent of ['reporter', 'id', 'phone', 'department', 'handlerId', 'gridCode']) {
      expect(item).not.toHaveProperty(absent);
    }
    expect(JSON.stringify(list)).not.toContain(PHONE);
    expect(item.location.lng).toBe(Math.round(fx.supervised.lng * 1e4) / 1e4);
    expect(item.location.lat).toBe(Math.round(fx.supervised.lat * 1e4) / 1e4);
    const { lng, lat } = fx.supervised;
    const map = await anon(
      'GET',
      `/api/v1/public/map.geojson?bbox=${lng - 0.01},${lat - 0.01},${lng + 0.01},${lat + 0.01}`,
    );
    expect(map.statusCode, map.body).toBe(200);
    expect(map.headers['content-type']).toContain('application/geo+json');
    const feature = map
      .json()
      .features.find((f: { properties: { number: string } }) => f.properties.number === item.number);
    expect(feature.geometry.coordinates).toEqual([item.location.lng, item.location.lat]);
    expect(feature.properties).not.toHaveProperty('reporter');
    expect(map.body).not.toContain(PHONE);

    // Moderation: the intake operator approves the description (with photos), rejects the comment.
    expectError(
      await app.inject({ method: 'GET', url: '/api/v1/public/moderation' }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(await c.call('citizen', 'GET', '/api/v1/public/moderation'), 403, 'FORBIDDEN');
    expectError(await c.call('dept', 'GET', '/api/v1/public/moderation'), 403, 'FORBIDDEN');
    const queue = (await c.call('intake', 'GET', '/api/v1/public/moderation')).json();
    const mine = queue.items.filter((m: { case: { id: number } }) => m.case.id === id);
    expect(mine.map((m: { kind: string }) => m.kind).sort()).toEqual(['comment', 'description']);
    // The queue says its total and pages: two at a time, the pages add up to the whole queue.
    expect(queue).toMatchObject({ total: queue.items.length, limit: 50, offset: 0, nextOffset: null });
    const paged: number[] = [];
    for (let offset: number | null = 0; offset !== null; ) {
      const page: { total: number; nextOffset: number | null; items: Array<{ id: number }> } = (
        await c.call('intake', 'GET', `/api/v1/public/moderation?limit=2&offset=${offset}`)
      ).json();
      expect(page.total).toBe(queue.total);
      paged.push(...page.items.map((m: { id: number }) => m.id));
      offset = page.nextOffset;
    }
    expect(paged).toEqual(queue.items.map((m: { id: number }) => m.id));
    expectError(
      await c.call('intake', 'GET', '/api/v1/public/moderation?offset=-1'),
      400,
      'VALIDATION_FAILED',
    );
    const other = (await c.call('intake2', 'GET', '/api/v1/public/moderation')).json();
    expect(other.items.some((m: { case: { id: number } }) => m.case.id === id)).toBe(false);
    const desc = mine.find((m: { kind: string }) => m.kind === 'description');
    const comment = mine.find((m: { kind: string }) => m.kind === 'comment');
    expectError(
      await c.call('intake2', 'POST', `/api/v1/public/moderation/${desc.id}`, { decision: 'approve' }),
      404,
      'NOT_FOUND',
    );
    const approved = await c.call('intake', 'POST', `/api/v1/public/moderation/${desc.id}`, {
      decision: 'approve',
      publishPhotos: true,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'approved', publishedPhotos: 1 });
    expect(
      (
        await c.call('shiftlead', 'POST', `/api/v1/public/moderation/${comment.id}`, {
          decision: 'reject',
          reason: '无关内容',
        })
      ).statusCode,
    ).toBe(200);
    expectError(
      await c.call('intake', 'POST', `/api/v1/public/moderation/${comment.id}`, { decision: 'approve' }),
      409,
      'PUBLIC_MODERATION_DECIDED',
    );
    const after = (await anon('GET', '/api/v1/public/cases?limit=100&state=closed')).json();
    const shown = after.items.find((x: { number: string }) => x.number === item.number);
    expect(shown).toMatchObject({
      description: '小区门口垃圾堆了三天没人清理',
      ratingComment: null,
      photos: [`/api/v1/public/media/${sha}`],
    });
    const img = await anon('GET', shown.photos[0]);
    expect(img.statusCode).toBe(200);
    expect(img.rawPayload.includes(Buffer.from('Exif'))).toBe(false);
    // A staff photo that was never cleared is not served publicly.
    const staffPhoto = await c.upload('supervisor');
    expectError(await anon('GET', `/api/v1/public/media/${staffPhoto}`), 404, 'NOT_FOUND');

    const stats = (await anon('GET', '/api/v1/public/stats?days=7')).json();
    expect(stats.closed).toBeGreaterThanOrEqual(1);
    expect(stats.fromPublic).toBeGreaterThanOrEqual(1);
    expect(stats.satisfaction).toMatchObject({ ratings: 1, average: 5, satisfiedRate: 100 });
    expect(stats.byDistrict.map((d: { code: string }) => d.code)).toContain('510104');
    expect(JSON.stringify(stats)).not.toContain(PHONE);
  });

  it('converts a GCJ-02 map pick, flags personal data in text, and lists citizen categories', async () => {
    const [glng, glat] = fromWgs84(fx.supervised.lng, fx.supervised.lat, 'gcj02');
    const res = await anon(
      'POST',
      '/api/v1/public/reports',
      reportBody({
        category: 'illegal_ads',
        description: '电线杆上贴满小广告，联系13912345678',
        location: { lng: glng, lat: glat, crs: 'gcj02' },
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const k = await caseOf(res.json().trackingCode);
    const at = (
      await sql<{ d: number }>`SELECT ST_Distance(location::geography,
        ST_SetSRID(ST_MakePoint(${fx.supervised.lng}, ${fx.supervised.lat}), 4326)::geography) AS d
        FROM cases WHERE id = ${k?.id}`.execute(ts.store.db)
    ).rows[0];
    expect(Number(at?.d)).toBeLessThan(2);
    const queue = (await c.call('intake', 'GET', '/api/v1/public/moderation')).json();
    const flagged = queue.items.find((m: { case: { id: number } }) => m.case.id === k?.id);
    expect(flagged.flags).toContain('personal_data:phone');
    expect(queue.items[0].flags.length).toBeGreaterThan(0);
    const cats = (await anon('GET', '/api/v1/public/categories')).json();
    expect(cats.items.find((x: { key: string }) => x.key === 'garbage')).toMatchObject({
      zh: '垃圾乱堆乱放',
    });
    expect(cats.phoneVerification).toBe(false);
  });

  it('stores a report once when the outbox resends it with the same Idempotency-Key', async () => {
    const headers = { 'x-device-id': 'device-outbox-01', 'idempotency-key': 'citizen-report-1' };
    const body = reportBody({ description: '离线时提交的上报' });
    const first = await anon('POST', '/api/v1/public/reports', body, headers);
    expect(first.statusCode, first.body).toBe(201);
    const again = await anon('POST', '/api/v1/public/reports', body, headers);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().trackingCode).toBe(first.json().trackingCode);
    const n = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM cases WHERE description = '离线时提交的上报'`.execute(ts.store.db);
    expect(n.rows[0]?.n).toBe(1);
  });
});
