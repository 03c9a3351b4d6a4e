/**
 * The public map, list and statistics: filed cases only (not reports still at intake, nor
 * rejected, voided or merged ones), with personal data removed — no reporter, no staff, no
 * case-internal ids, positions rounded to ~10 m, citizen text and photos only once approved.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { approvedText } from './moderation.js';
import { publicStatus, roundCoord } from './presenter.js';

const OPEN_PUBLIC = [
  'filed',
  'dispatched',
  'ownership_dispute',
  'handling',
  'suspended',
  'handled',
  'checking',
  'pending_close',
] as const;
/** The states the public sees a case in: filed and after, not refused, voided or merged. */
export const PUBLIC_STATES = [...OPEN_PUBLIC, 'closed'] as const;

function publicCases(db: Kysely<Database>) {
  return db
    .selectFrom('cases as c')
    .innerJoin('categories as k', 'k.id', 'c.category_id')
    .innerJoin('divisions as d', 'd.code', 'c.district_code')
    .select([
      'c.id',
      'c.number',
      'c.kind',
      'c.source',
      'c.state',
      'c.address',
      'c.reported_at',
      'c.closed_at',
      'c.district_code',
      'd.name as district_name',
      'k.code as category_code',
      'k.name as category_name',
      sql<number>`ST_X(c.location)`.as('lng'),
      sql<number>`ST_Y(c.location)`.as('lat'),
    ])
    .where('c.state', 'in', PUBLIC_STATES);
}
type PublicRow = Awaited<ReturnType<ReturnType<typeof publicCases>['execute']>>[number];

async function present(db: Kysely<Database>, rows: PublicRow[]) {
  const ids = rows.map((r) => r.id);
  const [texts, photos, ratings] = await Promise.all([
    approvedText(db, ids),
    ids.length
      ? db.selectFrom('public_photos').select(['case_id', 'sha256']).where('case_id', 'in', ids).execute()
      : Promise.resolve([]),
    ids.length
      ? db
          .selectFrom('public_ratings')
          .select(['case_id', 'satisfaction'])
          .where('case_id', 'in', ids)
          .execute()
      : Promise.resolve([]),
  ]);
  const satisfaction = new Map(ratings.map((r) => [r.case_id, r.satisfaction]));
  return rows.map((r) => {
    const { status, label } = publicStatus(r.state);
    return {
      number: r.number,
      kind: r.kind,
      source: r.source,
      category: { code: r.category_code, name: r.category_name },
      district: { code: r.district_code, name: r.district_name },
      address: r.address,
      location: { lng: roundCoord(Number(r.lng)), lat: roundCoord(Number(r.lat)) },
      status,
      statusLabel: label,
      reportedAt: r.reported_at.toISOString(),
      closedAt: r.closed_at?.toISOString() ?? null,
      description: texts.get(`${r.id}:description`) ?? null,
      photos: photos.filter((p) => p.case_id === r.id).map((p) => `/api/v1/public/media/${p.sha256}`),
      satisfaction: satisfaction.get(r.id) ?? null,
      ratingComment: texts.get(`${r.id}:comment`) ?? null,
    };
  });
}

export async function listPublicCases(
  db: Kysely<Database>,
  q: { limit: number; offset: number; districtCode?: string | undefined; state: 'open' | 'closed' | 'all' },
) {
  let query = publicCases(db);
  if (q.districtCode) query = query.where('c.district_code', '=', q.districtCode);
  if (q.state === 'open') query = query.where('c.state', 'in', OPEN_PUBLIC);
  if (q.state === 'closed') query = query.where('c.state', '=', 'closed');
  const rows = await query
    .orderBy('c.reported_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(q.limit + 1)
    .offset(q.offset)
    .execute();
  const items = await present(db, rows.slice(0, q.limit));
  return { items, hasMore: rows.length > q.limit };
}

export async function publicMap(
  db: Kysely<Database>,
  q: { bbox: [number, number, number, number]; limit: number },
) {
  const [w, s, e, n] = q.bbox;
  const rows = await publicCases(db)
    .where(sql<boolean>`c.location && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`)
    .orderBy('c.reported_at', 'desc')
    .limit(q.limit)
    .execute();
  const items = await present(db, rows);
  return {
    type: 'FeatureCollection' as const,
    features: items.map(({ location, ...properties }) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [location.lng, location.lat] },
      properties,
    })),
    truncated: rows.length === q.limit,
  };
}

/** Published figures over the last `days` days (the evaluation module may replace these). */
export async function publicStats(db: Kysely<Database>, q: { days: number }) {
  const since = new Date(Date.now() - q.days * 86_400_000);
  const base = db
    .selectFrom('cases as c')
    .where('c.state', 'in', PUBLIC_STATES)
    .where('c.reported_at', '>=', since);
  const [totals, byCategory, byDistrict, satisfaction] = await Promise.all([
    base
      .select([
        sql<number>`count(*)::int`.as('filed'),
        sql<number>`count(*) FILTER (WHERE c.state = 'closed')::int`.as('closed'),
        sql<number>`count(*) FILTER (WHERE c.state = 'closed'
          AND coalesce((c.counters ->> 'overdue')::int, 0) = 0)::int`.as('closed_on_time'),
        sql<number>`count(*) FILTER (WHERE c.source = 'public')::int`.as('from_public'),
      ])
      .executeTakeFirstOrThrow(),
    base
      .innerJoin('categories as k', 'k.id', 'c.category_id')
      .select(['k.code', 'k.name', 'c.kind', sql<number>`count(*)::int`.as('count')])
      .groupBy(['k.code', 'k.name', 'c.kind'])
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('k.code')
      .limit(20)
      .execute(),
    base
      .innerJoin('divisions as d', 'd.code', 'c.district_code')
      .select([
        'd.code',
        'd.name',
        sql<number>`count(*)::int`.as('count'),
        sql<number>`count(*) FILTER (WHERE c.state = 'closed')::int`.as('closed'),
      ])
      .groupBy(['d.code', 'd.name'])
      .orderBy('d.code')
      .execute(),
    db
      .selectFrom('public_ratings')
      .select([
        sql<number>`count(*)::int`.as('count'),
        sql<number | null>`round(avg(satisfaction)::numeric, 2)::float8`.as('average'),
        sql<number>`count(*) FILTER (WHERE satisfaction >= 4)::int`.as('satisfied'),
      ])
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow(),
  ]);
  const rate = (part: number, whole: number) =>
    whole === 0 ? null : Math.round((part / whole) * 10_000) / 100;
  return {
    days: q.days,
    since: since.toISOString(),
    filed: totals.filed,
    closed: totals.closed,
    fromPublic: totals.from_public,
    closeRate: rate(totals.closed, totals.filed),
    onTimeRate: rate(totals.closed_on_time, totals.closed),
    byCategory: byCategory.map((r) => ({ code: r.code, name: r.name, kind: r.kind, count: r.count })),
    byDistrict: byDistrict.map((r) => ({ code: r.code, name: r.name, count: r.count, closed: r.closed })),
    satisfaction: {
      ratings: satisfaction.count,
      average: satisfaction.average,
      satisfiedRate: rate(satisfaction.satisfied, satisfaction.count),
    },
  };
}
