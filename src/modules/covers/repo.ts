/**
 * SQL of the 井盖专项: covers with their state (from the open flow's stored deadlines), the
 * limits in force, flows and their steps.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { CoverLimits, CoverState, CoverType, RoadClass } from '../../domain/covers/emergency.js';
import type { Database } from '../../platform/db/schema.js';

type Db = Kysely<Database>;

export interface LimitsRow extends CoverLimits {
  id: number;
  repeatWindowDays: number;
  createdAt: Date;
}

export async function limitsInForce(db: Db, id?: number): Promise<LimitsRow> {
  let q = db.selectFrom('cover_limits').selectAll();
  q = id === undefined ? q.orderBy('id', 'desc').limit(1) : q.where('id', '=', id);
  const r = await q.executeTakeFirstOrThrow();
  return {
    id: r.id,
    ownerOnSiteMinutes: r.owner_on_site_minutes,
    temporaryCoverHours: r.temporary_cover_hours,
    repairHours: r.repair_hours,
    exceptionRepairHours: r.exception_repair_hours,
    checkHours: r.check_hours,
    repeatWindowDays: r.repeat_window_days,
    createdAt: r.created_at,
  };
}

/** Done late, or not done and past due: the same rule as domain flowStatus, over stored deadlines. */
export function overdueSql(f: string, now: Date): RawBuilder<boolean> {
  const c = (col: string) => sql.ref(`${f}.${col}`);
  return sql<boolean>`(coalesce(${c('barrier_at')}, ${now}) > ${c('barrier_due')}
    OR coalesce(${c('temporary_cover_at')}, ${now}) > ${c('temporary_cover_due')}
    OR coalesce(${c('repair_at')}, ${now}) > ${c('repair_due')}
    OR (${c('check_due')} IS NOT NULL AND coalesce(${c('check_at')}, ${now}) > ${c('check_due')}))`;
}

/** Flows that still count: a voided or merged case takes its flow with it. */
const liveCase = (f: string) =>
  sql`EXISTS (SELECT 1 FROM cases k WHERE k.id = ${sql.ref(`${f}.case_id`)} AND k.state NOT IN ('voided', 'merged'))`;

export interface CoverFilters {
  scopePrefix: string;
  componentId?: string | undefined;
  type?: CoverType | undefined;
  owner?: string | undefined;
  roadClass?: RoadClass | undefined;
  state?: CoverState | undefined;
  bbox?: [number, number, number, number] | undefined;
}

export interface CoverRow {
  component_id: string;
  cover_type: CoverType;
  owner_department_code: string;
  owner_name: string;
  maintainer_department_code: string | null;
  maintainer_name: string | null;
  road_class: RoadClass;
  road_name: string | null;
  component_name: string;
  component_state: string;
  grid_code: string;
  lng: number;
  lat: number;
  open_case_id: number | null;
  open_case_number: string | null;
  defect: string | null;
  state: CoverState;
  sensors: Array<{ id: string; typeCode: string; online: boolean }>;
  updated_at: Date;
}

/** Every cover with its state now; the state is computed once here, filtered outside. */
function coversSql(f: CoverFilters, now: Date) {
  const where = [sql`(k.id LIKE ${`${f.scopePrefix}%`} OR k.grid_code LIKE ${`${f.scopePrefix}%`})`];
  if (f.componentId) where.push(sql`c.component_id = ${f.componentId}`);
  if (f.type) where.push(sql`c.cover_type = ${f.type}`);
  if (f.owner) where.push(sql`c.owner_department_code = ${f.owner}`);
  if (f.roadClass) where.push(sql`c.road_class = ${f.roadClass}`);
  if (f.bbox) {
    const [w, s, e, n] = f.bbox;
    where.push(sql`k.geom && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`);
  }
  return sql`
    SELECT c.component_id, c.cover_type, c.owner_department_code, od.name AS owner_name,
           c.maintainer_department_code, md.name AS maintainer_name, c.road_class, c.road_name,
           c.updated_at, k.name AS component_name, k.state AS component_state, k.grid_code,
           ST_X(k.geom) AS lng, ST_Y(k.geom) AS lat,
           f.case_id AS open_case_id, kc.number AS open_case_number, f.defect,
           CASE WHEN f.id IS NULL THEN 'normal'
                WHEN ${overdueSql('f', now)} THEN 'overdue'
                WHEN f.temporary_cover_at IS NOT NULL THEN 'made_safe'
                ELSE 'open' END AS state,
           (SELECT coalesce(json_agg(json_build_object('id', d.id, 'typeCode', d.type_code, 'online', d.online)
                                     ORDER BY d.id), '[]'::json)
              FROM iot_devices d WHERE d.component_id = c.component_id) AS sensors
      FROM covers c
      JOIN components k ON k.id = c.component_id
      JOIN departments od ON od.code = c.owner_department_code
      LEFT JOIN departments md ON md.code = c.maintainer_department_code
      LEFT JOIN LATERAL (
        SELECT * FROM cover_flows f WHERE f.component_id = c.component_id AND f.check_at IS NULL
           AND ${liveCase('f')}
         ORDER BY f.noticed_at DESC LIMIT 1) f ON true
      LEFT JOIN cases kc ON kc.id = f.case_id
     WHERE ${sql.join(where, sql` AND `)}`;
}

export async function coverRows(
  db: Db,
  f: CoverFilters,
  page: { limit: number; offset: number; alertsFirst?: boolean },
  now = new Date(),
): Promise<{ rows: CoverRow[]; total: number }> {
  const base = coversSql(f, now);
  const state = f.state ? sql`WHERE x.state = ${f.state}` : sql``;
  // The map, when it cannot show every cover, shows those in a flow first.
  const first = page.alertsFirst ? sql`x.state = 'normal', ` : sql``;
  const [rows, count] = await Promise.all([
    sql<CoverRow>`SELECT * FROM (${base}) x ${state} ORDER BY ${first}x.component_id
      LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM (${base}) x ${state}`.execute(db),
  ]);
  return { rows: rows.rows, total: count.rows[0]?.n ?? 0 };
}

/** The flows of the covers in scope: open ones and those noticed in [from, to). */
export async function flowsForDashboard(db: Db, scopePrefix: string, from: Date, to: Date) {
  return db
    .selectFrom('cover_flows as f')
    .innerJoin('covers as c', 'c.component_id', 'f.component_id')
    .innerJoin('components as k', 'k.id', 'f.component_id')
    .innerJoin('cases as kc', 'kc.id', 'f.case_id')
    .innerJoin('departments as od', 'od.code', 'c.owner_department_code')
    .select([
      'f.id',
      'f.component_id',
      'c.cover_type',
      'c.owner_department_code',
      'od.name as owner_name',
      'f.noticed_at',
      'f.limits_id',
      'f.exception_reason',
      'f.barrier_at',
      'f.temporary_cover_at',
      'f.repair_at',
      'f.check_at',
    ])
    .where((eb) =>
      eb.or([eb('k.id', 'like', `${scopePrefix}%`), eb('k.grid_code', 'like', `${scopePrefix}%`)]),
    )
    .where('kc.state', 'not in', ['voided', 'merged'])
    .where((eb) =>
      eb.or([
        eb.and([eb('f.noticed_at', '>=', from), eb('f.noticed_at', '<', to)]),
        eb('f.check_at', 'is', null),
      ]),
    )
    .orderBy('f.id')
    .execute();
}

export function flowQuery(db: Db) {
  return db
    .selectFrom('cover_flows as f')
    .innerJoin('covers as c', 'c.component_id', 'f.component_id')
    .innerJoin('components as k', 'k.id', 'f.component_id')
    .innerJoin('cases as kc', 'kc.id', 'f.case_id')
    .innerJoin('departments as od', 'od.code', 'c.owner_department_code')
    .leftJoin('departments as md', 'md.code', 'c.maintainer_department_code')
    .selectAll('f')
    .select([
      'c.cover_type',
      'c.owner_department_code',
      'od.name as owner_name',
      'od.path as owner_path',
      'c.maintainer_department_code',
      'md.path as maintainer_path',
      'k.name as component_name',
      'k.grid_code',
      'kc.number as case_number',
      'kc.state as case_state',
    ]);
}
export type FlowRow = NonNullable<Awaited<ReturnType<ReturnType<typeof flowQuery>['executeTakeFirst']>>>;

export function stepsOf(db: Db, flowIds: readonly string[]) {
  if (flowIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('cover_flow_steps as s')
    .leftJoin('users as u', 'u.id', 's.recorded_by')
    .select([
      's.flow_id',
      's.step',
      's.at',
      's.photos',
      's.note',
      's.recorded_role',
      's.recorded_at',
      'u.display_name as recorded_by_name',
    ])
    .where('s.flow_id', 'in', flowIds)
    .orderBy('s.at')
    .execute();
}
