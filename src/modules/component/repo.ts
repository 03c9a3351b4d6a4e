import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { CategoryScheme } from '../../domain/component/ids.js';
import type { AccuracyClass, ComponentState } from '../../domain/component/states.js';
import type { Database } from '../../platform/db/schema.js';

export type DepartmentRole = 'managing' | 'owning' | 'maintaining';

export interface ComponentFilters {
  scopePrefix: string;
  id?: string | undefined;
  idPrefix?: string | undefined;
  /** Major ('01') or minor ('0101' / '01001') class: a prefix of the category code. */
  category?: string | undefined;
  state?: ComponentState | undefined;
  /** A grid code or any division code: components whose grid code starts with it. */
  grid?: string | undefined;
  department?: string | undefined;
  departmentRole?: DepartmentRole | undefined;
  bbox?: [number, number, number, number] | undefined;
}

const DEPARTMENT_COLUMN = {
  managing: 'c.managing_department_code',
  owning: 'c.owning_department_code',
  maintaining: 'c.maintaining_department_code',
} as const;

function baseQuery(db: Kysely<Database>) {
  return db
    .selectFrom('components as c')
    .leftJoin('categories as cat', (j) =>
      j
        .onRef('cat.scheme', '=', 'c.scheme')
        .onRef('cat.code', '=', 'c.category_code')
        .on('cat.kind', '=', 'component'),
    )
    .leftJoin('departments as dm', 'dm.code', 'c.managing_department_code')
    .leftJoin('departments as do', 'do.code', 'c.owning_department_code')
    .leftJoin('departments as dt', 'dt.code', 'c.maintaining_department_code');
}

function filtered(db: Kysely<Database>, f: ComponentFilters) {
  return baseQuery(db).where((eb) => {
    const conds: Expression<SqlBool>[] = [];
    if (f.scopePrefix !== '') {
      // A district sees its own registrations and whatever lies in its grids.
      conds.push(
        eb.or([eb('c.id', 'like', `${f.scopePrefix}%`), eb('c.grid_code', 'like', `${f.scopePrefix}%`)]),
      );
    }
    if (f.id) conds.push(eb('c.id', '=', f.id));
    if (f.idPrefix) conds.push(eb('c.id', 'like', `${f.idPrefix}%`));
    if (f.category) conds.push(eb('c.category_code', 'like', `${f.category}%`));
    if (f.state) conds.push(eb('c.state', '=', f.state));
    if (f.grid) conds.push(eb('c.grid_code', 'like', `${f.grid}%`));
    if (f.department) {
      const roles = f.departmentRole ? [f.departmentRole] : (['managing', 'owning', 'maintaining'] as const);
      conds.push(eb.or(roles.map((r) => eb(DEPARTMENT_COLUMN[r], '=', f.department as string))));
    }
    if (f.bbox) {
      const [w, s, e, n] = f.bbox;
      conds.push(sql<SqlBool>`c.geom && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`);
    }
    return eb.and(conds);
  });
}

function withColumns<Q extends ReturnType<typeof baseQuery>>(q: Q) {
  return q.select([
    'c.id',
    'c.scheme',
    'c.division_code',
    'c.category_code',
    'cat.name as category_name',
    'c.name',
    'c.managing_department_code',
    'dm.name as managing_department_name',
    'c.owning_department_code',
    'do.name as owning_department_name',
    'c.maintaining_department_code',
    'dt.name as maintaining_department_name',
    'c.grid_code',
    'c.state',
    'c.start_date',
    'c.change_date',
    'c.data_source',
    'c.accuracy_class',
    'c.note',
    sql<number>`ST_X(c.geom)`.as('lng'),
    sql<number>`ST_Y(c.geom)`.as('lat'),
    'c.created_at',
    'c.updated_at',
  ]);
}

export function componentRow(db: Kysely<Database>, id: string) {
  return withColumns(baseQuery(db)).where('c.id', '=', id).executeTakeFirst();
}

export type ComponentRow = NonNullable<Awaited<ReturnType<typeof componentRow>>>;

export async function listComponentRows(
  db: Kysely<Database>,
  f: ComponentFilters,
  page: { limit: number; offset: number },
): Promise<{ rows: ComponentRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    withColumns(filtered(db, f)).orderBy('c.id').limit(page.limit).offset(page.offset).execute(),
    filtered(db, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/**
 * The `limit` components nearest to a point, by geodesic distance. The GiST index answers
 * `<->` in degrees, whose order differs from metres (a degree of longitude is shorter than
 * one of latitude): so the KNN result only bounds a search radius, and every component
 * within that radius is ranked by its true distance.
 */
export async function nearestRows(
  db: Kysely<Database>,
  point: { lng: number; lat: number },
  limit: number,
  f: Pick<ComponentFilters, 'scopePrefix' | 'category'>,
): Promise<Array<ComponentRow & { distance_m: number }>> {
  const p = sql`ST_SetSRID(ST_MakePoint(${point.lng}, ${point.lat}), 4326)`;
  const knn = await filtered(db, f)
    .select(sql<number>`ST_Distance(c.geom::geography, ${p}::geography)`.as('d'))
    .orderBy(sql`c.geom <-> ${p}`)
    .limit(limit)
    .execute();
  if (knn.length === 0) return [];
  const radiusM = Math.max(...knn.map((r) => r.d));
  // Degrees of longitude are the shortest: at the latitude farthest from the equator
  // within the radius, they bound every point closer than radiusM (plus 1% for the ellipsoid).
  const farLat = Math.min(89, Math.abs(point.lat) + radiusM / 110_000 + 0.001);
  const radiusDeg = (radiusM / (111_320 * Math.cos((farLat * Math.PI) / 180))) * 1.01 + 1e-9;
  const rows = await withColumns(filtered(db, f))
    .select(sql<number>`ST_Distance(c.geom::geography, ${p}::geography)`.as('distance_m'))
    .where(sql<SqlBool>`ST_DWithin(c.geom, ${p}, ${radiusDeg})`)
    .orderBy('distance_m')
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows;
}

export interface NewComponentRow {
  id: string;
  scheme: CategoryScheme;
  divisionCode: string;
  categoryCode: string;
  seq: number;
  name: string;
  managingDepartment: string | null;
  owningDepartment: string | null;
  maintainingDepartment: string | null;
  gridCode: string;
  state: ComponentState;
  startDate: string | null;
  changeDate: string | null;
  dataSource: string | null;
  accuracyClass: AccuracyClass | null;
  note: string | null;
  lng: number;
  lat: number;
}

// One jsonb parameter per batch: far fewer bound parameters than a VALUES list (PGlite
// serialises each one), and the server unpacks the rows.
const INSERT_BATCH = 2000;

export async function insertComponentRows(
  db: Kysely<Database>,
  rows: readonly NewComponentRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const batch = rows.slice(i, i + INSERT_BATCH);
    const r = await sql`
      INSERT INTO components (id, scheme, division_code, category_code, seq, name,
        managing_department_code, owning_department_code, maintaining_department_code, grid_code,
        state, start_date, change_date, data_source, accuracy_class, note, geom)
      SELECT r."id", r."scheme", r."divisionCode", r."categoryCode", r."seq", r."name",
        r."managingDepartment", r."owningDepartment", r."maintainingDepartment", r."gridCode",
        r."state", r."startDate", r."changeDate", r."dataSource", r."accuracyClass", r."note",
        ST_SetSRID(ST_MakePoint(r."lng", r."lat"), 4326)
      FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS r("id" text, "scheme" text,
        "divisionCode" text, "categoryCode" text, "seq" int, "name" text, "managingDepartment" text,
        "owningDepartment" text, "maintainingDepartment" text, "gridCode" text, "state" text,
        "startDate" date, "changeDate" date, "dataSource" text, "accuracyClass" text, "note" text,
        "lng" float8, "lat" float8)`.execute(db);
    // A silently failed insert (PGlite can lose PostGIS errors) must roll the transaction back.
    if (Number(r.numAffectedRows) !== batch.length) {
      throw new Error(`inserted ${r.numAffectedRows} of ${batch.length} components`);
    }
  }
}

// Arbitrary constant: namespace of the per-(division, class) sequence locks.
const SEQUENCE_LOCK = 72_611_206;

/**
 * Locks the sequence of each (division, class) until the transaction ends and returns the
 * highest sequence in use: concurrent writers of the same class wait, so ids never collide.
 */
export async function lockSequences(
  db: Kysely<Database>,
  prefixes: ReadonlyArray<{ divisionCode: string; categoryCode: string }>,
): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  // Always in the same order, so two writers never wait on each other's locks.
  const sorted = [...prefixes].sort((a, b) =>
    `${a.divisionCode}${a.categoryCode}`.localeCompare(`${b.divisionCode}${b.categoryCode}`),
  );
  for (const { divisionCode, categoryCode } of sorted) {
    const key = `${divisionCode}${categoryCode}`;
    if (out.has(key)) continue;
    await sql`SELECT pg_advisory_xact_lock(${SEQUENCE_LOCK}::int, hashtext(${key}))`.execute(db);
    const row = await db
      .selectFrom('components')
      .select((eb) => eb.fn.max('seq').as('max'))
      .where('division_code', '=', divisionCode)
      .where('category_code', '=', categoryCode)
      .executeTakeFirst();
    out.set(key, row?.max ?? null);
  }
  return out;
}

const LOOKUP_BATCH = 1000;

/** For each point, the codes of the current grids covering it (several on a shared edge). */
export async function coveringGrids(
  db: Kysely<Database>,
  points: ReadonlyArray<{ lng: number; lat: number }>,
): Promise<string[][]> {
  const out: string[][] = points.map(() => []);
  for (let i = 0; i < points.length; i += LOOKUP_BATCH) {
    const batch = points.slice(i, i + LOOKUP_BATCH).map((p, j) => ({ i: i + j, lng: p.lng, lat: p.lat }));
    const r = await sql<{ i: number; code: string }>`
      SELECT p.i, g.code
      FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS p(i int, lng float8, lat float8)
      JOIN grids g ON g.valid_to IS NULL
        AND ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(p.lng, p.lat), 4326))
      ORDER BY p.i, g.code`.execute(db);
    for (const row of r.rows) out[row.i]?.push(row.code);
  }
  return out;
}

/** Which of `values` exist in `table.column` (ids, grid, department or division codes). */
export async function existing(
  db: Kysely<Database>,
  table: 'components' | 'grids' | 'departments' | 'divisions',
  values: readonly string[],
): Promise<Set<string>> {
  const column = table === 'components' ? 'id' : 'code';
  const found = new Set<string>();
  const unique = [...new Set(values)];
  for (let i = 0; i < unique.length; i += LOOKUP_BATCH) {
    const batch = unique.slice(i, i + LOOKUP_BATCH);
    const r = await sql<{ v: string }>`
      SELECT t.${sql.ref(column)} AS v FROM ${sql.table(table)} t
      WHERE t.${sql.ref(column)} IN (SELECT jsonb_array_elements_text(${JSON.stringify(batch)}::jsonb))`.execute(
      db,
    );
    for (const row of r.rows) found.add(row.v);
  }
  return found;
}

/** Current grids among `codes` (retired grids take no new components). */
export async function currentGrids(db: Kysely<Database>, codes: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Set();
  const rows = await db
    .selectFrom('grids')
    .select('code')
    .where('code', 'in', unique)
    .where('valid_to', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.code));
}

/** Component minor classes of the catalog per scheme (empty when the catalog holds none). */
export async function catalogMinors(
  db: Kysely<Database>,
): Promise<Map<CategoryScheme, Map<string, boolean>>> {
  const rows = await db
    .selectFrom('categories')
    .select(['scheme', 'code', 'active'])
    .where('kind', '=', 'component')
    .where('level', '=', 'minor')
    // Not the retired placeholder codes (catalog migration 0022).
    .where('scheme', 'in', ['gbt30428', 'gbt47678'])
    .$narrowType<{ scheme: CategoryScheme }>()
    .execute();
  const out = new Map<CategoryScheme, Map<string, boolean>>();
  for (const r of rows) {
    const m = out.get(r.scheme) ?? new Map<string, boolean>();
    m.set(r.code, r.active);
    out.set(r.scheme, m);
  }
  return out;
}

export interface ComponentPatchRow {
  name?: string;
  managing_department_code?: string | null;
  owning_department_code?: string | null;
  maintaining_department_code?: string | null;
  grid_code?: string;
  state?: ComponentState;
  start_date?: string | null;
  change_date?: string | null;
  data_source?: string | null;
  accuracy_class?: AccuracyClass | null;
  note?: string | null;
  location?: { lng: number; lat: number };
}

export async function updateComponentRow(db: Kysely<Database>, id: string, patch: ComponentPatchRow) {
  const { location, ...columns } = patch;
  const r = await db
    .updateTable('components')
    .set({
      ...columns,
      ...(location
        ? { geom: sql<string>`ST_SetSRID(ST_MakePoint(${location.lng}, ${location.lat}), 4326)` }
        : {}),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new Error(`component ${id} was not updated`);
}
