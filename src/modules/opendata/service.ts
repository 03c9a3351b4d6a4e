/**
 * Open data (开放数据): the anonymised case dataset by month as CSV, GeoJSON or JSON, its data
 * dictionary and licence. Anyone may download it (no login). The data runs to the end of
 * yesterday (local time) and each month's file is built once a day and kept in memory: every
 * download of a day is the same snapshot, and a burst of downloads costs one query.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import { type Kysely, sql } from 'kysely';
import { toCsv } from '../../domain/opendata/csv.js';
import {
  type CaseSource,
  DICTIONARY,
  OPEN_DATA_LICENCE,
  type OpenCase,
  openCase,
  SENSITIVE_CATEGORY_NAMES,
} from '../../domain/opendata/dataset.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { PUBLIC_STATES } from '../public/listing.js';
import { publicStatus } from '../public/presenter.js';
import type { OpenDataFormat } from './schema.js';

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The start of today, local time (+08:00): the data runs to just before it. */
export function cutoff(now: number): Date {
  return new Date(Math.floor((now + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS);
}

function monthRange(month: string): [Date, Date] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return [new Date(Date.UTC(y, m - 1, 1) - OFFSET_MS), new Date(Date.UTC(y, m, 1) - OFFSET_MS)];
}

async function monthCases(db: Kysely<Database>, month: string, now: number): Promise<OpenCase[]> {
  const [from, monthEnd] = monthRange(month);
  const end = new Date(Math.min(monthEnd.getTime(), cutoff(now).getTime()));
  if (end <= from) return [];
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('categories as k', 'k.id', 'c.category_id')
    .innerJoin('divisions as d', 'd.code', 'c.district_code')
    .innerJoin('divisions as s', 's.code', 'c.street_code')
    .innerJoin('divisions as m', 'm.code', 'c.community_code')
    .select([
      'c.id',
      'c.number',
      'c.kind',
      'c.source',
      'c.state',
      'c.grid_code',
      'c.address',
      'c.reported_at',
      'c.closed_at',
      'k.code as category_code',
      'k.name as category_name',
      'c.district_code',
      'd.name as district_name',
      'c.street_code',
      's.name as street_name',
      'c.community_code',
      'm.name as community_name',
      sql<number>`ST_X(c.location)`.as('lng'),
      sql<number>`ST_Y(c.location)`.as('lat'),
    ])
    .where('c.state', 'in', [...PUBLIC_STATES])
    .where('c.reported_at', '>=', from)
    .where('c.reported_at', '<', end)
    .orderBy('c.reported_at')
    .orderBy('c.id')
    .execute();
  const ids = rows.map((r) => r.id);
  const photos = new Map<number, string[]>();
  for (let i = 0; i < ids.length; i += 5000) {
    const part = ids.slice(i, i + 5000);
    const got = await db
      .selectFrom('public_photos')
      .select(['case_id', 'sha256'])
      .where('case_id', 'in', part)
      .orderBy('case_id')
      .orderBy('sha256')
      .execute();
    for (const p of got) photos.set(p.case_id, [...(photos.get(p.case_id) ?? []), p.sha256]);
  }
  return rows.map((r) => {
    const source: CaseSource = {
      number: r.number,
      kind: r.kind as CaseSource['kind'],
      source: r.source,
      categoryCode: r.category_code,
      categoryName: r.category_name,
      districtCode: r.district_code,
      districtName: r.district_name,
      streetCode: r.street_code,
      streetName: r.street_name,
      communityCode: r.community_code,
      communityName: r.community_name,
      gridCode: r.grid_code,
      address: r.address,
      lng: Number(r.lng),
      lat: Number(r.lat),
      status: publicStatus(r.state).status,
      reportedAt: new Date(r.reported_at),
      closedAt: r.closed_at ? new Date(r.closed_at) : null,
      approvedPhotos: photos.get(r.id) ?? [],
    };
    return openCase(source, (sha) => `/api/v1/public/media/${sha}`);
  });
}

function encode(rows: OpenCase[], format: OpenDataFormat): { body: string; type: string } {
  if (format === 'csv') {
    return {
      body: toCsv(
        DICTIONARY.map((d) => d.field),
        rows,
      ),
      type: 'text/csv; charset=utf-8',
    };
  }
  if (format === 'geojson') {
    const fc: FeatureCollection<Point> = {
      type: 'FeatureCollection',
      features: rows.map(
        ({ lng, lat, ...properties }): Feature<Point> => ({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [lng, lat] },
          properties,
        }),
      ),
    };
    return { body: JSON.stringify(fc), type: 'application/geo+json; charset=utf-8' };
  }
  return {
    body: JSON.stringify({ items: rows, count: rows.length }),
    type: 'application/json; charset=utf-8',
  };
}

/** A day's files, by month and format (a few months of a city: a few MB). */
const FILES_KEPT = 36;

export function openDataService(db: Kysely<Database>, clock: () => number = Date.now) {
  const files = new Map<string, Promise<{ body: string; type: string; rows: number }>>();
  return {
    async download(month: string, format: OpenDataFormat) {
      const now = clock();
      const [from] = monthRange(month);
      if (from >= cutoff(now)) {
        throw new AppError('NOT_FOUND', { details: { resource: 'open-data month', month } });
      }
      const day = cutoff(now).toISOString().slice(0, 10);
      const key = `${day}|${month}|${format}`;
      let file = files.get(key);
      if (!file) {
        file = monthCases(db, month, now).then((rows) => ({ ...encode(rows, format), rows: rows.length }));
        files.set(key, file);
        file.catch(() => files.delete(key));
        for (const k of files.keys()) if (files.size > FILES_KEPT || !k.startsWith(day)) files.delete(k);
      }
      return file;
    },

    async catalogue() {
      const now = clock();
      const end = cutoff(now);
      const rows = await db
        .selectFrom('cases as c')
        .select([
          sql<string>`to_char(c.reported_at AT TIME ZONE 'UTC' + interval '8 hours', 'YYYY-MM')`.as('month'),
          sql<number>`count(*)::int`.as('n'),
        ])
        .where('c.state', 'in', [...PUBLIC_STATES])
        .where('c.reported_at', '<', end)
        .groupBy(sql`1`)
        .orderBy(sql`1`, 'desc')
        .execute();
      const lastDay = new Date(end.getTime() - DAY_MS + OFFSET_MS).toISOString().slice(0, 10);
      return {
        title: { zh: '城市管理案件开放数据', en: 'City management cases, open data' },
        licence: OPEN_DATA_LICENCE,
        refreshedThrough: lastDay,
        refresh: { zh: '每日更新，数据截至前一日 24 时', en: 'Daily, up to the end of the previous day' },
        datasets: [
          {
            id: 'cases',
            title: { zh: '城市管理问题案件（已立案）', en: 'City management cases (filed)' },
            formats: ['csv', 'geojson', 'json'],
            download: '/api/v1/open-data/cases.{format}?month={YYYY-MM}',
            dictionary: '/api/v1/open-data/dictionary',
            months: rows.map((r) => ({ month: r.month, count: Number(r.n) })),
          },
        ],
      };
    },

    dictionary() {
      return {
        dataset: 'cases',
        licence: OPEN_DATA_LICENCE,
        fields: DICTIONARY,
        sensitiveCategories: SENSITIVE_CATEGORY_NAMES,
        rules: {
          zh: '不含任何个人信息（上报人、电话、工作人员）和自由文本描述；照片仅限审核通过者；敏感类别不含地址、网格和照片，位置为所在 H3 8 级六边形中心。',
          en: 'No personal data (reporters, phones, staff) and no free-text descriptions; photos only once cleared by moderation; sensitive categories carry no address, grid or photo, and their location is the centre of the H3 resolution-8 hexagon holding them.',
        },
      };
    },
  };
}
