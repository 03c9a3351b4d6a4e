/**
 * SQL of the evaluation: the reference data the engine needs (department tree, supervisor grids,
 * names) and the case log of a period, streamed in chunks of cases so a year of a large city is
 * never held in memory at once. Only cases alive in the period are read: reported before its
 * end and not finished (closed / rejected / voided / merged) before its start — a case finished
 * earlier has no event in the period and nothing running at its end, so it adds nothing.
 */
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type {
  AreaClass,
  CollectionMembership,
  EvaluationCase,
  EvaluationEvent,
  EvaluationFilters,
} from '../../domain/evaluation/index.js';
import type { Database } from '../../platform/db/schema.js';
import { categoryFilter } from '../catalog/filter.js';
import { UTC_OFFSET_MINUTES } from './period.js';

export interface Reference {
  departmentParents: Record<string, string>;
  departmentNames: Map<string, string>;
  departmentPaths: Map<string, string>;
  supervisorGrids: Record<string, string[]>;
  userNames: Map<string, string>;
  /** users.division_code (null for department staff): where a supervisor without grids belongs. */
  userDivisions: Map<string, string | null>;
  divisionNames: Map<string, string>;
  /** Outsourced collection (信息采集外包): supervisor id → team and company, as of now. */
  collectionTeams: Record<string, CollectionMembership>;
  collectionTeamNames: Map<string, string>;
  collectionCompanyNames: Map<string, string>;
  /** Company code → contract hours on duty per supervisor and working day. */
  contractDailyHours: Record<string, number>;
  /** Current grids (valid_to IS NULL) → area class: the grids every evaluation lists. */
  gridAreaClasses: Map<string, AreaClass>;
  /** Division code → level and data-scope prefix. */
  divisionLevels: Map<string, string>;
  divisionPrefixes: Map<string, string>;
  /** Active departments → the scope prefix of their division. */
  departmentScopes: Map<string, string>;
  /** Enabled users of the centre posts and supervisors → role. */
  userRoles: Map<string, string>;
}

export async function loadReference(db: Kysely<Database>): Promise<Reference> {
  const [departments, grids, users, divisions, companies, teams, members, current] = await Promise.all([
    db
      .selectFrom('departments as d')
      .leftJoin('departments as p', 'p.id', 'd.parent_id')
      .innerJoin('divisions as dv', 'dv.code', 'd.division_code')
      .select(['d.code', 'd.name', 'd.path', 'd.active', 'dv.scope_prefix', 'p.code as parent'])
      .execute(),
    db.selectFrom('supervisor_grids').select(['user_id', 'grid_code']).orderBy('grid_code').execute(),
    db.selectFrom('users').select(['id', 'display_name', 'division_code', 'role', 'disabled']).execute(),
    db.selectFrom('divisions').select(['code', 'name', 'level', 'scope_prefix']).execute(),
    db.selectFrom('collection_companies').select(['code', 'name', 'contract_daily_hours']).execute(),
    db.selectFrom('collection_teams').select(['code', 'name', 'company_code']).execute(),
    db
      .selectFrom('collection_team_members as m')
      .innerJoin('collection_teams as t', 't.code', 'm.team_code')
      // A member whose role was changed since is no longer a supervisor of the team.
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .where('u.role', '=', 'supervisor')
      .select(['m.user_id', 'm.team_code', 't.company_code'])
      .execute(),
    db
      .selectFrom('grids')
      .select(['code', 'area_class'])
      .where('valid_to', 'is', null)
      .orderBy('code')
      .execute(),
  ]);
  const supervisorGrids: Record<string, string[]> = {};
  for (const g of grids) {
    const id = String(g.user_id);
    supervisorGrids[id] = [...(supervisorGrids[id] ?? []), g.grid_code];
  }
  return {
    departmentParents: Object.fromEntries(
      departments.filter((d) => d.parent !== null).map((d) => [d.code, d.parent as string]),
    ),
    departmentNames: new Map(departments.map((d) => [d.code, d.name])),
    departmentPaths: new Map(departments.map((d) => [d.code, d.path])),
    supervisorGrids,
    userNames: new Map(users.map((u) => [String(u.id), u.display_name])),
    userDivisions: new Map(users.map((u) => [String(u.id), u.division_code])),
    divisionNames: new Map(divisions.map((d) => [d.code, d.name])),
    collectionTeams: Object.fromEntries(
      members.map((m) => [String(m.user_id), { team: m.team_code, company: m.company_code }]),
    ),
    collectionTeamNames: new Map(teams.map((t) => [t.code, t.name])),
    collectionCompanyNames: new Map(companies.map((c) => [c.code, c.name])),
    contractDailyHours: Object.fromEntries(companies.map((c) => [c.code, Number(c.contract_daily_hours)])),
    gridAreaClasses: new Map(current.map((g) => [g.code, g.area_class as AreaClass])),
    divisionLevels: new Map(divisions.map((d) => [d.code, d.level])),
    divisionPrefixes: new Map(divisions.map((d) => [d.code, d.scope_prefix])),
    departmentScopes: new Map(departments.filter((d) => d.active).map((d) => [d.code, d.scope_prefix])),
    userRoles: new Map(
      users.filter((u) => !u.disabled && EVALUATED_ROLES.has(u.role)).map((u) => [String(u.id), u.role]),
    ),
  };
}

/** Roles whose users are evaluation subjects (the posts). */
const EVALUATED_ROLES = new Set(['supervisor', 'intake', 'shift_leader', 'dispatcher']);

export interface CaseScope {
  from: Date;
  to: Date;
  filters: EvaluationFilters;
  /** Cases in grids starting with this ('' = all). */
  gridPrefix: string;
  /**
   * Statistics (运行统计): the cases reported in [from, to) with their events before `asOf`,
   * instead of the evaluation's cases alive in the period with their events before `to`.
   */
  reported?: { asOf: Date };
  /** A further condition on the case row `c` (the reader's visibility). */
  restrict?: Expression<SqlBool>;
}

interface CaseHead {
  id: number;
  number: string;
  reported_at: Date;
  source: string;
  kind: 'component' | 'event';
  category_code: string;
  area_class: 'A' | 'B' | 'C';
  grid_code: string;
  community_code: string;
  street_code: string;
  district_code: string;
  reported_by: number | null;
  reporter_role: string;
}

function caseFilter(s: CaseScope) {
  const f = s.filters;
  const parts = s.reported
    ? [sql`c.reported_at >= ${s.from}`, sql`c.reported_at < ${s.to}`]
    : [sql`c.reported_at < ${s.to}`, sql`(c.closed_at IS NULL OR c.closed_at >= ${s.from})`];
  if (s.restrict) parts.push(sql`${s.restrict}`);
  if (s.gridPrefix) parts.push(sql`c.grid_code LIKE ${`${s.gridPrefix}%`}`);
  // Filed under either code scheme, through the class mapping (catalog module).
  if (f.categories?.length) parts.push(categoryFilter(sql.ref('c.category_id'), f.categories));
  if (f.areaClasses?.length) parts.push(sql`c.area_class = ANY (${[...f.areaClasses]}::text[])`);
  if (f.sources?.length) parts.push(sql`c.source = ANY (${[...f.sources]}::text[])`);
  if (f.timeSlots?.length) {
    const hour = sql`extract(hour FROM (c.reported_at AT TIME ZONE 'UTC') + make_interval(mins => ${UTC_OFFSET_MINUTES}::int))`;
    parts.push(
      sql`(${sql.join(
        f.timeSlots.map((t) =>
          t.fromHour <= t.toHour
            ? sql`(${hour} >= ${t.fromHour} AND ${hour} < ${t.toHour})`
            : sql`(${hour} >= ${t.fromHour} OR ${hour} < ${t.toHour})`,
        ),
        sql` OR `,
      )})`,
    );
  }
  return sql.join(parts, sql` AND `);
}

/** How many cases forEachCaseChunk will visit (a background run's progress counts against it). */
export async function countCases(db: Kysely<Database>, s: CaseScope): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM cases c JOIN categories cat ON cat.id = c.category_id
    WHERE ${caseFilter(s)}`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/**
 * One event as the chunk query sends it: [seq, action, actor_id, actor_role, from_state,
 * to_state, at (epoch ms), steps, clock, department code]. Each case's events arrive as one JSON
 * array that JSON.parse reads at once; parsing a dozen typed columns per event row (dates above
 * all) was most of the store's share of a yearly evaluation. Only what the engine reads is sent:
 * of `steps` the late ones (it asks only whether a step was late), and `clock` on the case's
 * last event before the period's end (it asks only what was running then).
 */
type EventTuple = [
  number,
  string,
  number | null,
  string,
  string | null,
  string,
  number,
  EvaluationEvent['payload']['steps'] | null,
  EvaluationEvent['payload']['clock'] | null,
  string | null,
];

interface ChunkRow extends Omit<CaseHead, 'reported_at'> {
  reported_ms: number;
  category_name: string;
  events: EventTuple[] | null;
}

async function readChunk(db: Kysely<Database>, s: CaseScope, after: number, chunk: number) {
  // The planner prices the per-case subquery over the whole LIMIT-less estimate and turns on JIT,
  // whose compilation cost more than the query itself on every chunk.
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL jit = off`.execute(trx);
    return readChunkRows(trx, s, after, chunk);
  });
}

async function readChunkRows(db: Kysely<Database>, s: CaseScope, after: number, chunk: number) {
  return (
    await sql<ChunkRow>`
      SELECT c.id, c.number, extract(epoch FROM c.reported_at)::float8 * 1000 AS reported_ms, c.source, c.kind,
             cat.code AS category_code, cat.name AS category_name, c.area_class, c.grid_code, c.community_code, c.street_code,
             c.district_code, c.reported_by, c.reporter_role,
             (SELECT json_agg(json_build_array(x.seq, x.action, x.actor_id, x.actor_role, x.from_state, x.to_state,
                                               x.ms, x.late_steps, CASE WHEN x.last THEN x.clock END, x.department)
                              ORDER BY x.seq)
              FROM (SELECT e.seq, e.action, e.actor_id, e.actor_role, e.from_state, e.to_state,
                           extract(epoch FROM e.at)::float8 * 1000 AS ms,
                           NULLIF(jsonb_path_query_array(e.payload, '$.steps[*] ? (@.late == true)'), '[]') AS late_steps,
                           e.payload -> 'clock' AS clock, e.payload -> 'department' ->> 'code' AS department,
                           lead(e.seq) OVER (ORDER BY e.seq) IS NULL AS last
                    FROM case_events e WHERE e.case_id = c.id AND e.at < ${s.reported?.asOf ?? s.to}) x) AS events
      FROM cases c JOIN categories cat ON cat.id = c.category_id
      WHERE c.id > ${after} AND ${caseFilter(s)}
      ORDER BY c.id LIMIT ${chunk}`.execute(db)
  ).rows;
}

/**
 * Calls `each` with the cases of the scope, `chunk` cases at a time, each with its events before
 * the period's end (the engine ignores later ones anyway). Only the payload fields the engine
 * reads are fetched. The next chunk is read while `each` works on the current one, so the
 * database and the engine run side by side.
 */
export async function forEachCaseChunk(
  db: Kysely<Database>,
  s: CaseScope,
  each: (
    cases: EvaluationCase[],
    numbers: Map<string, string>,
    categoryNames: Map<string, string>,
  ) => void | Promise<void>,
  chunk = 5000,
): Promise<void> {
  let pending = readChunk(db, s, 0, chunk);
  for (;;) {
    const rows = await pending;
    if (rows.length === 0) return;
    const last = rows[rows.length - 1]?.id ?? 0;
    const more = rows.length === chunk;
    if (more) pending = readChunk(db, s, last, chunk);
    const numbers = new Map<string, string>();
    const categoryNames = new Map<string, string>();
    const cases = rows.map((h): EvaluationCase => {
      const id = String(h.id);
      numbers.set(id, h.number);
      categoryNames.set(id, h.category_name);
      return {
        id,
        caseNumber: h.number,
        reportedAt: new Date(h.reported_ms),
        source: h.source,
        kind: h.kind,
        categoryCode: h.category_code,
        areaClass: h.area_class,
        gridCode: h.grid_code,
        communityCode: h.community_code,
        streetCode: h.street_code,
        districtCode: h.district_code,
        reporterId: h.reported_by === null ? null : String(h.reported_by),
        reporterRole: h.reporter_role,
        events: (h.events ?? []).map(eventOf),
      };
    });
    await each(cases, numbers, categoryNames);
    if (!more) return;
  }
}

function eventOf(e: EventTuple): EvaluationEvent {
  const [seq, action, actor, role, from, to, at, steps, clock, department] = e;
  return {
    seq,
    action: action as EvaluationEvent['action'],
    actorId: actor === null ? null : String(actor),
    actorRole: role,
    fromState: from as EvaluationEvent['fromState'],
    toState: to as EvaluationEvent['toState'],
    at: new Date(at),
    payload: payloadOf(steps, clock, department),
  };
}

/** Built field by field: conditional spreads made four short-lived objects per event. */
function payloadOf(
  steps: EventTuple[7],
  clock: EventTuple[8],
  department: EventTuple[9],
): EvaluationEvent['payload'] {
  const payload: { -readonly [K in keyof EvaluationEvent['payload']]: EvaluationEvent['payload'][K] } = {};
  if (steps) payload.steps = steps;
  if (clock) payload.clock = clock;
  if (department) payload.department = { code: department };
  return payload;
}

/** Case rows for a drill-down list, in the order given. */
export async function casesByIds(db: Kysely<Database>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('categories as cat', 'cat.id', 'c.category_id')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .select([
      'c.id',
      'c.number',
      'c.state',
      'c.source',
      'c.grid_code',
      'c.reported_at',
      'c.closed_at',
      'cat.code as category_code',
      'cat.name as category_name',
      'd.code as department_code',
    ])
    .where('c.id', 'in', [...ids])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
}
