/**
 * Open data over HTTP on both stores, over generated history spanning two months with
 * reporters' names and phones, free text, sensitive categories and photos planted: the files
 * hold every published case of the month and nothing personal, sensitive categories lose their
 * address, grid and photos and get the coarse location, and the data stops at yesterday.
 */
import { cellToLatLng, latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { DICTIONARY } from '../../domain/opendata/dataset.js';
import type { ApiApp } from '../../platform/http/types.js';
import { seedHistory } from '../../seed/history.js';

const NAME = '张建国';
const PHONE = '13912345678';
const SECRET = '住在3单元502的王某';
const PUBLISHED = `('filed','dispatched','ownership_dispute','handling','suspended','handled','checking','pending_close','closed')`;

describe.each(testStores())('open data (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let sensitiveIds: number[];
  let photoCase: number;
  let hiddenPhotoCase: number;

  beforeAll(async () => {
    ts = await openTestStore(kind);
    const db = ts.store.db;
    // 2026-10-22 … 2026-11-05 (local): two months.
    await seedHistory(ts.store, {
      from: new Date('2026-10-21T16:00:00Z'),
      days: 15,
      seed: 3,
      casesPerDay: 30,
    });
    // Personal data and free text on every case; every 5th event becomes 流浪乞讨 (sensitive).
    await sql`UPDATE cases SET reporter_name = ${NAME}, reporter_phone = ${PHONE},
      description = description || ${SECRET}`.execute(db);
    const begging = await db
      .selectFrom('categories')
      .select('id')
      .where('name', '=', '流浪乞讨')
      .executeTakeFirstOrThrow();
    await sql`UPDATE cases SET category_id = ${begging.id}
      WHERE kind = 'event' AND id % 5 = 0 AND state IN ${sql.raw(PUBLISHED)}`.execute(db);
    sensitiveIds = (
      await db.selectFrom('cases').select('id').where('category_id', '=', begging.id).orderBy('id').execute()
    ).map((r) => r.id);
    expect(sensitiveIds.length).toBeGreaterThan(10);
    // Photos: one cleared for a normal case, one for a sensitive case, one never cleared.
    const normal = await sql<{ id: number }>`SELECT min(id) AS id FROM cases
      WHERE state IN ${sql.raw(PUBLISHED)} AND category_id <> ${begging.id}`.execute(db);
    photoCase = normal.rows[0]!.id;
    const sensitivePublished = await sql<{ id: number }>`SELECT min(id) AS id FROM cases
      WHERE state IN ${sql.raw(PUBLISHED)} AND category_id = ${begging.id}`.execute(db);
    hiddenPhotoCase = sensitivePublished.rows[0]!.id;
    const sha = (c: string) => c.repeat(64);
    await sql`INSERT INTO media (sha256, content_type, size_bytes) VALUES
      (${sha('a')}, 'image/jpeg', 10), (${sha('b')}, 'image/jpeg', 10), (${sha('c')}, 'image/jpeg', 10)`.execute(
      db,
    );
    await sql`INSERT INTO public_photos (case_id, sha256) VALUES (${photoCase}, ${sha('a')}), (${hiddenPhotoCase}, ${sha('b')})`.execute(
      db,
    );
    app = await testApp(ts.store);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  async function published(month: string) {
    const r = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM cases WHERE state IN ${sql.raw(PUBLISHED)}
      AND to_char(reported_at AT TIME ZONE 'UTC' + interval '8 hours', 'YYYY-MM') = ${month}`.execute(
      ts.store.db,
    );
    return r.rows[0]!.n;
  }

  it('the catalogue lists the months with their counts, the licence and the refresh, without login', async () => {
    const res = await get('/api/v1/open-data');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.licence.id).toBe('CC-BY-4.0');
    const months = body.datasets[0].months as { month: string; count: number }[];
    expect(months.find((m) => m.month === '2026-10')?.count).toBe(await published('2026-10'));
    expect(months.find((m) => m.month === '2026-11')?.count).toBe(await published('2026-11'));
    const dict = await get('/api/v1/open-data/dictionary');
    expect(dict.json().fields.map((f: { field: string }) => f.field)).toEqual(DICTIONARY.map((d) => d.field));
    expect(dict.json().sensitiveCategories).toContain('流浪乞讨');
  });

  it('JSON, CSV and GeoJSON of a month hold every published case and nothing personal', async () => {
    const json = await get('/api/v1/open-data/cases.json?month=2026-10');
    expect(json.statusCode, json.body).toBe(200);
    const rows = json.json().items as Record<string, unknown>[];
    expect(rows).toHaveLength(await published('2026-10'));
    expect(json.headers['x-record-count']).toBe(String(rows.length));

    const csv = await get('/api/v1/open-data/cases.csv?month=2026-10');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('cityloop-cases-2026-10.csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(DICTIONARY.map((d) => d.field).join(','));
    expect(lines).toHaveLength(rows.length + 1);

    const geo = await get('/api/v1/open-data/cases.geojson?month=2026-10');
    expect(geo.headers['content-type']).toContain('application/geo+json');
    const fc = geo.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(rows.length);
    expect(fc.features[0].geometry.type).toBe('Point');

    // No reporter, phone or free text anywhere, in any format; no internal id or staff field.
    const descriptions = (await ts.store.db.selectFrom('cases').select('description').execute()).map(
      (r) => r.description,
    );
    for (const body of [json.body, csv.body, geo.body]) {
      expect(body).not.toContain(NAME);
      expect(body).not.toContain(PHONE);
      expect(body).not.toContain(SECRET);
      expect(body).not.toMatch(/1[3-9][0-9]{9}/);
      for (const d of descriptions.slice(0, 50)) expect(body).not.toContain(d);
    }
    for (const r of rows) {
      expect(Object.keys(r).sort()).toEqual(DICTIONARY.map((d) => d.field).sort());
    }
  });

  it('sensitive categories: no address, grid or photo, and the coarse hexagon centre as location', async () => {
    const all = [
      ...(await get('/api/v1/open-data/cases.json?month=2026-10')).json().items,
      ...(await get('/api/v1/open-data/cases.json?month=2026-11')).json().items,
    ] as Record<string, unknown>[];
    const truth = await ts.store.db
      .selectFrom('cases')
      .select(['id', 'number', sql<number>`ST_X(location)`.as('lng'), sql<number>`ST_Y(location)`.as('lat')])
      .where('id', 'in', sensitiveIds)
      .where(sql<boolean>`state IN ${sql.raw(PUBLISHED)}`)
      .execute();
    let checked = 0;
    for (const t of truth) {
      const row = all.find((r) => r.number === t.number);
      if (!row) continue;
      checked++;
      expect(row).toMatchObject({
        address: null,
        grid_code: null,
        photos: [],
        location_precision: 'coarse_h3_r8',
      });
      const [lat, lng] = cellToLatLng(latLngToCell(Number(t.lat), Number(t.lng), 8));
      expect(row.lng).toBeCloseTo(lng, 4);
      expect(row.lat).toBeCloseTo(lat, 4);
      // Not the exact point (≈ 10 m rounding would be).
      expect(
        Math.hypot((Number(row.lng) - Number(t.lng)) * 95_800, (Number(row.lat) - Number(t.lat)) * 111_200),
      ).toBeGreaterThan(15);
    }
    expect(checked).toBe(truth.length);
    const normal = all.filter((r) => r.location_precision === 'exact_10m');
    expect(normal.length).toBeGreaterThan(0);
    expect(normal.every((r) => typeof r.address === 'string' && typeof r.grid_code === 'string')).toBe(true);
    // Only the cleared photo of a normal case is published.
    const photos = all.flatMap((r) => r.photos as string[]);
    expect(photos).toEqual([`/api/v1/public/media/${'a'.repeat(64)}`]);
  });

  it('the data stops at the end of yesterday; later months are not found', async () => {
    const now = new Date();
    await sql`INSERT INTO cases (number, source, kind, category_id, grid_code, community_code, street_code,
        district_code, area_class, location, address, description, reporter_role, state, reported_at)
      SELECT '510104-20991231-E-9999', source, kind, category_id, grid_code, community_code, street_code,
        district_code, area_class, location, address, description, reporter_role, 'filed', ${now.toISOString()}::timestamptz
      FROM cases WHERE id = ${photoCase}`.execute(ts.store.db);
    const local = new Date(now.getTime() + 8 * 3_600_000);
    const month = local.toISOString().slice(0, 7);
    const res = await get(`/api/v1/open-data/cases.json?month=${month}`);
    if (local.getUTCDate() === 1) expectError(res, 404, 'NOT_FOUND');
    else
      expect(res.json().items.some((r: { number: string }) => r.number === '510104-20991231-E-9999')).toBe(
        false,
      );
    expectError(await get('/api/v1/open-data/cases.json?month=2099-01'), 404, 'NOT_FOUND');
  });

  it('400 on a bad month or format', async () => {
    for (const url of [
      '/api/v1/open-data/cases.json',
      '/api/v1/open-data/cases.json?month=2026-13',
      '/api/v1/open-data/cases.json?month=26-10',
      '/api/v1/open-data/cases.xml?month=2026-10',
      '/api/v1/open-data/cases.json?month=2026-10&extra=1',
    ]) {
      expectError(await get(url), 400, 'VALIDATION_FAILED');
    }
  });
});
