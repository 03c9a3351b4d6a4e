/**
 * `cityloop seed --history`: writes generated case histories (domain/history) into the store.
 *
 * Fast path: cases and events go in with one `INSERT … SELECT FROM unnest($arrays)` per table and
 * chunk (a handful of parameters however many rows), one transaction per chunk, so an interrupted
 * run leaves whole chunks behind and the case-number counters always match what was written.
 * The `cases` row is the projection of the events (state, department, running step, counters),
 * as modules/cases/advance.ts would have left it.
 */
import { type Kysely, sql } from 'kysely';
import { generateDemoCity } from '../domain/demo-city/index.js';
import type { DemoCity } from '../domain/demo-city/types.js';
import { generateHistory, type HistoryCase } from '../domain/history/index.js';
import { isTerminal } from '../domain/workflow/states.js';
import { clearEvaluationCache } from '../modules/evaluation/cache.js';
import { rebuildCaseFacts } from '../modules/evaluation/facts/rebuild.js';
import type { Database } from '../platform/db/schema.js';
import type { Store } from '../platform/db/store.js';
import { AppError } from '../platform/errors.js';

export interface HistorySeedOptions {
  /** First local (+08:00) day. */
  readonly from: Date;
  readonly days: number;
  readonly seed?: number;
  readonly casesPerDay?: number;
  /** Events after this instant are not written (default: the end of the last day). */
  readonly until?: Date;
  /** Cases per transaction. */
  readonly chunk?: number;
  readonly onProgress?: (written: { cases: number; events: number }) => void;
}

export interface HistorySeedResult {
  cases: number;
  events: number;
  seconds: number;
}

const OFFSET_MS = 8 * 3_600_000;

/**
 * The generator's fast ISO formatter (domain/history/iso.ts) prints '.undefinedZ' when a resumed
 * deadline carries a fractional millisecond (about 1 event in 50,000). Such a deadline is kept to
 * the second so PostgreSQL and Date.parse can read it.
 */
export const sanitizeIso = (text: string): string => text.replaceAll('.undefinedZ', '.000Z');
const localDay = (at: number): string => new Date(at + OFFSET_MS).toISOString().slice(0, 10);

/** The seed the demo city was written with (audit log of `seedDemoCity`). */
export async function demoCityOf(db: Kysely<Database>): Promise<DemoCity> {
  const row = await db
    .selectFrom('audit_log')
    .select('details')
    .where('action', '=', 'system.seed_demo')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!row) throw new AppError('HISTORY_NO_DEMO_CITY');
  const details = (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as {
    seed?: number;
  };
  return generateDemoCity(details.seed);
}

export interface Lookups {
  users: Map<string, number>;
  departments: Map<string, number>;
  categories: Map<string, { id: number; name: string }>;
  grids: Map<
    string,
    { areaClass: string; community: string; street: string; district: string; place: string }
  >;
  versions: { id: number; from: number }[];
}

export async function lookups(db: Kysely<Database>): Promise<Lookups> {
  const [users, departments, categories, grids, versions] = await Promise.all([
    db.selectFrom('users').select(['id', 'username']).execute(),
    db.selectFrom('departments').select(['id', 'code']).execute(),
    db
      .selectFrom('categories')
      .select(['id', 'code', 'kind', 'name'])
      .where('scheme', '=', 'gbt30428')
      .where('level', '=', 'minor')
      .execute(),
    sql<{
      code: string;
      area_class: string;
      community: string;
      street: string;
      district: string;
      name: string;
    }>`
      SELECT g.code, g.area_class, g.community_code AS community, s.code AS street, s.parent_code AS district,
             s.name || c.name AS name
      FROM grids g JOIN divisions c ON c.code = g.community_code JOIN divisions s ON s.code = c.parent_code`
      .execute(db)
      .then((r) => r.rows),
    db
      .selectFrom('standard_versions')
      .select(['id', 'effective_from'])
      .where('status', '=', 'published')
      .orderBy('effective_from')
      .execute(),
  ]);
  return {
    users: new Map(users.map((u) => [u.username, u.id])),
    departments: new Map(departments.map((d) => [d.code, d.id])),
    categories: new Map(categories.map((c) => [`${c.kind}:${c.code}`, { id: c.id, name: c.name }])),
    grids: new Map(
      grids.map((g) => [
        g.code,
        {
          areaClass: g.area_class,
          community: g.community,
          street: g.street,
          district: g.district,
          place: g.name,
        },
      ]),
    ),
    versions: versions.map((v) => ({ id: v.id, from: Date.parse(`${v.effective_from}T00:00:00+08:00`) })),
  };
}

/** Refuses when cases or case numbers of the range already exist (the keys would collide). */
async function assertRangeFree(db: Kysely<Database>, firstDay: string, lastDay: string): Promise<void> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM case_number_counters WHERE day BETWEEN ${firstDay}::date AND ${lastDay}::date`.execute(
    db,
  );
  const n = r.rows[0]?.n ?? 0;
  if (n > 0)
    throw new AppError('HISTORY_ALREADY_PRESENT', {
      details: { from: firstDay, to: lastDay, caseNumberSeries: n },
    });
}

interface CaseRowValues {
  number: string[];
  source: string[];
  kind: string[];
  category_id: number[];
  standard_version_id: (number | null)[];
  grid_code: string[];
  community_code: string[];
  street_code: string[];
  district_code: string[];
  area_class: string[];
  lng: number[];
  lat: number[];
  address: string[];
  description: string[];
  urgency: string[];
  reported_by: (number | null)[];
  reporter_role: string[];
  state: string[];
  pending_kind: (string | null)[];
  pending_role: (string | null)[];
  department_id: (number | null)[];
  merged_into: (string | null)[];
  step: (string | null)[];
  step_no: number[];
  step_started_at: (string | null)[];
  step_deadline: (string | null)[];
  light: (string | null)[];
  counters: string[];
  last_seq: number[];
  reported_at: string[];
  updated_at: string[];
  closed_at: (string | null)[];
}

const CASE_COLUMNS: Record<keyof CaseRowValues, string> = {
  number: 'text',
  source: 'text',
  kind: 'text',
  category_id: 'int',
  standard_version_id: 'int',
  grid_code: 'text',
  community_code: 'text',
  street_code: 'text',
  district_code: 'text',
  area_class: 'text',
  lng: 'float8',
  lat: 'float8',
  address: 'text',
  description: 'text',
  urgency: 'text',
  reported_by: 'int',
  reporter_role: 'text',
  state: 'text',
  pending_kind: 'text',
  pending_role: 'text',
  department_id: 'int',
  merged_into: 'text',
  step: 'text',
  step_no: 'int',
  step_started_at: 'timestamptz',
  step_deadline: 'timestamptz',
  light: 'text',
  counters: 'jsonb',
  last_seq: 'int',
  reported_at: 'timestamptz',
  updated_at: 'timestamptz',
  closed_at: 'timestamptz',
};

const PENDING_OF: Record<string, 'return' | 'extend' | 'suspend' | 'void'> = {
  return_request: 'return',
  extend_request: 'extend',
  suspend_request: 'suspend',
  void_request: 'void',
};

function emptyColumns(): CaseRowValues {
  return Object.fromEntries(Object.keys(CASE_COLUMNS).map((k) => [k, []])) as unknown as CaseRowValues;
}

/** The projection of one generated case (what advance.ts leaves in `cases` after its last event). */
function project(h: HistoryCase, lk: Lookups, until: number, out: CaseRowValues): void {
  const c = h.case;
  const grid = lk.grids.get(c.gridCode);
  const category = lk.categories.get(`${c.kind}:${c.categoryCode}`);
  if (!grid || !category) throw new Error(`${c.caseKey}: grid or category missing from the store`);
  const last = h.events[h.events.length - 1];
  if (!last) throw new Error(`${c.caseKey}: no events`);
  let department: number | null = null;
  let pending: { kind: string; role: string } | null = null;
  let merged: string | null = null;
  let stepStarted: string | null = null;
  let stepNo = 0;
  const counters: Record<string, number> = {};
  for (const e of h.events) {
    if (e.payload.department) department = lk.departments.get(e.payload.department.code) ?? null;
    if (e.action === 'return_approve') department = null;
    const kind = PENDING_OF[e.action];
    if (kind) pending = { kind, role: e.actorRole };
    else if (e.action.endsWith('_approve') || e.action.endsWith('_reject')) pending = null;
    if (e.action === 'merge') merged = e.payload.targetCaseKey ?? null;
    for (const k of e.payload.counters ?? []) counters[k] = (counters[k] ?? 0) + 1;
    const clock = e.payload.clock;
    if (clock && clock.stepNo !== stepNo) {
      stepNo = clock.stepNo;
      stepStarted = e.at.toISOString();
    }
  }
  const clock = isTerminal(last.to) ? undefined : last.payload.clock;
  const version = [...lk.versions].reverse().find((v) => v.from <= c.reportedAt.getTime()) ?? lk.versions[0];
  out.number.push(c.caseKey);
  out.source.push(c.source);
  out.kind.push(c.kind);
  out.category_id.push(category.id);
  out.standard_version_id.push(version?.id ?? null);
  out.grid_code.push(c.gridCode);
  out.community_code.push(grid.community);
  out.street_code.push(grid.street);
  out.district_code.push(grid.district);
  out.area_class.push(grid.areaClass);
  out.lng.push(c.lng);
  out.lat.push(c.lat);
  out.address.push(`${grid.place} ${c.gridCode} 网格内`);
  out.description.push(`${category.name}（历史数据）`);
  out.urgency.push(c.urgency);
  out.reported_by.push(c.reporterUsername ? (lk.users.get(c.reporterUsername) ?? null) : null);
  out.reporter_role.push(h.events[0]?.actorRole ?? 'service');
  out.state.push(last.to);
  out.pending_kind.push(pending?.kind ?? null);
  out.pending_role.push(pending?.role ?? null);
  out.department_id.push(department);
  out.merged_into.push(last.to === 'merged' ? merged : null);
  out.step.push(clock?.step ?? null);
  out.step_no.push(stepNo);
  out.step_started_at.push(clock ? stepStarted : null);
  out.step_deadline.push(clock?.deadline ? sanitizeIso(clock.deadline) : null);
  out.light.push(
    clock
      ? clock.deadline !== null && Date.parse(sanitizeIso(clock.deadline)) <= until
        ? 'red'
        : 'green'
      : null,
  );
  out.counters.push(JSON.stringify(counters));
  out.last_seq.push(h.events.length);
  out.reported_at.push(c.reportedAt.toISOString());
  out.updated_at.push(last.at.toISOString());
  out.closed_at.push(isTerminal(last.to) ? last.at.toISOString() : null);
}

const unnestOf = (names: string[], types: Record<string, string>, values: Record<string, unknown[]>) =>
  sql.join(names.map((n) => sql`${values[n]}::${sql.raw(types[n] as string)}[]`));

export async function writeChunk(
  trx: Kysely<Database>,
  batch: HistoryCase[],
  lk: Lookups,
  until: number,
  recent: Map<string, number>,
): Promise<number> {
  const cols = emptyColumns();
  for (const h of batch) project(h, lk, until, cols);
  // Merge targets are earlier cases; rows wait until their target has an id (usually one round).
  const names = Object.keys(CASE_COLUMNS).filter((n) => n !== 'merged_into');
  const types: Record<string, string> = { ...CASE_COLUMNS, merged_id: 'int' };
  const all = [...names, 'merged_id'];
  const ids = new Map<string, number>();
  let waiting = cols.number.map((_, i) => i);
  while (waiting.length > 0) {
    const ready = waiting.filter(
      (i) => cols.merged_into[i] === null || recent.has(cols.merged_into[i] as string),
    );
    if (ready.length === 0) throw new Error('merge targets missing from the history');
    const values: Record<string, unknown[]> = {};
    for (const n of names)
      values[n] = ready.map((i) => (cols as unknown as Record<string, unknown[]>)[n]?.[i]);
    values.merged_id = ready.map((i) => {
      const k = cols.merged_into[i];
      return k === null || k === undefined ? null : recent.get(k);
    });
    const inserted = await sql<{ id: number; number: string }>`
      INSERT INTO cases (number, source, kind, category_id, standard_version_id, grid_code, community_code,
        street_code, district_code, area_class, location, address, description, urgency, reported_by,
        reporter_role, state, pending_kind, pending_role, department_id, step, step_no, step_started_at,
        step_deadline, light, counters, last_seq, reported_at, updated_at, closed_at, merged_into_id)
      SELECT number, source, kind, category_id, standard_version_id, grid_code, community_code, street_code,
        district_code, area_class, ST_SetSRID(ST_MakePoint(lng, lat), 4326), address, description, urgency,
        reported_by, reporter_role, state, pending_kind, pending_role, department_id, step, step_no,
        step_started_at, step_deadline, light, counters, last_seq, reported_at, updated_at, closed_at, merged_id
      FROM unnest(${unnestOf(all, types, values)}) AS v(${sql.raw(all.join(', '))})
      RETURNING id, number`.execute(trx);
    for (const r of inserted.rows) {
      ids.set(r.number, r.id);
      recent.set(r.number, r.id);
    }
    const done = new Set(ready);
    waiting = waiting.filter((i) => !done.has(i));
  }
  const ev = {
    case_id: [] as number[],
    seq: [] as number[],
    action: [] as string[],
    actor_id: [] as (number | null)[],
    actor_role: [] as string[],
    from_state: [] as (string | null)[],
    to_state: [] as string[],
    reason: [] as (string | null)[],
    payload: [] as string[],
    at: [] as string[],
  };
  for (const h of batch) {
    const caseId = ids.get(h.case.caseKey) as number;
    h.events.forEach((e, i) => {
      const { reason, ...payload } = e.payload;
      ev.case_id.push(caseId);
      ev.seq.push(i + 1);
      ev.action.push(e.action);
      ev.actor_id.push(e.actorUsername ? (lk.users.get(e.actorUsername) ?? null) : null);
      ev.actor_role.push(e.actorRole);
      ev.from_state.push(e.from);
      ev.to_state.push(e.to);
      ev.reason.push(reason ?? null);
      ev.payload.push(sanitizeIso(JSON.stringify(payload)));
      ev.at.push(e.at.toISOString());
    });
  }
  const evTypes: Record<string, string> = {
    case_id: 'int',
    seq: 'int',
    action: 'text',
    actor_id: 'int',
    actor_role: 'text',
    from_state: 'text',
    to_state: 'text',
    reason: 'text',
    payload: 'jsonb',
    at: 'timestamptz',
  };
  const evNames = Object.keys(evTypes);
  await sql`
    INSERT INTO case_events (${sql.raw(evNames.join(', '))})
    SELECT * FROM unnest(${unnestOf(evNames, evTypes, ev as unknown as Record<string, unknown[]>)})`.execute(
    trx,
  );
  // The evaluation facts of the cases written, projected from the log in this transaction.
  await rebuildCaseFacts(trx, [...ids.values()]);
  // Counters: the highest number written per series, so the next live report continues after it.
  await reserveCaseNumbers(trx, batch);
  return ev.case_id.length;
}

/** The highest generated number per series (district, day, kind) of some generated cases. */
function seriesMaxima(cases: readonly HistoryCase[]) {
  const max = new Map<string, [string, string, string, number]>();
  for (const h of cases) {
    const [district, day, kind, seq] = h.case.caseKey.split('-') as [string, string, string, string];
    const key = `${district}|${day}|${kind}`;
    const n = Number(seq);
    if ((max.get(key)?.[3] ?? 0) < n)
      max.set(key, [
        district,
        `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}`,
        kind === 'C' ? 'component' : 'event',
        n,
      ]);
  }
  return [...max.values()];
}

/**
 * Records the generated numbers of `cases` in case_number_counters (never lowering a series), so
 * that a day's sequence made later (case_number_sequence, migrations/0025) starts after them.
 */
export async function reserveCaseNumbers(db: Kysely<Database>, cases: readonly HistoryCase[]) {
  const parts = seriesMaxima(cases);
  if (parts.length === 0) return;
  await sql`
    INSERT INTO case_number_counters (district_code, day, kind, last_seq)
    SELECT * FROM unnest(${parts.map((p) => p[0])}::text[], ${parts.map((p) => p[1])}::date[],
                         ${parts.map((p) => p[2])}::text[], ${parts.map((p) => p[3])}::int[])
    ON CONFLICT (district_code, day, kind) DO UPDATE
      SET last_seq = GREATEST(case_number_counters.last_seq, excluded.last_seq)`.execute(db);
}

/** The office calendar's holidays and make-up workdays (the generator's working time). */
export async function officeDays(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('calendar_days')
    .select(['day', 'kind'])
    .where('calendar_id', '=', 'office')
    .execute();
  return {
    holidays: rows.filter((r) => r.kind === 'holiday').map((r) => String(r.day)),
    makeupWorkdays: rows.filter((r) => r.kind === 'makeup').map((r) => String(r.day)),
  };
}

/** Writes `days` days of generated history from `from`; refuses when the range already has cases. */
export async function seedHistory(store: Store, o: HistorySeedOptions): Promise<HistorySeedResult> {
  const t0 = performance.now();
  const db = store.db;
  const city = await demoCityOf(db);
  const lk = await lookups(db);
  const firstDayMs = Date.parse(`${localDay(o.from.getTime())}T00:00:00+08:00`);
  const until = o.until?.getTime() ?? firstDayMs + o.days * 86_400_000 - 1;
  await assertRangeFree(db, localDay(firstDayMs), localDay(firstDayMs + (o.days - 1) * 86_400_000));
  const chunk = o.chunk ?? (store.kind === 'postgres' ? 5000 : 1000);
  const recent = new Map<string, number>();
  let cases = 0;
  let events = 0;
  let batch: HistoryCase[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    events += await db.transaction().execute((trx) => writeChunk(trx, current, lk, until, recent));
    cases += current.length;
    // Duplicates are merged within hours: forget targets older than the chunk before.
    if (recent.size > 4 * chunk) {
      const keep = [...recent].slice(-2 * chunk);
      recent.clear();
      for (const [k, v] of keep) recent.set(k, v);
    }
    o.onProgress?.({ cases, events });
  };
  for (const h of generateHistory({
    city,
    from: new Date(firstDayMs),
    days: o.days,
    seed: o.seed ?? 1,
    until: new Date(until),
    ...(o.casesPerDay !== undefined ? { casesPerDay: o.casesPerDay } : {}),
    ...(await officeDays(db)),
  })) {
    if (h.events.length === 0) continue;
    batch.push(h);
    if (batch.length >= chunk) await flush();
  }
  await flush();
  // Past periods have new events now: their cached evaluation counts are wrong.
  await clearEvaluationCache(db);
  await db
    .insertInto('audit_log')
    .values({
      actor_name: 'system',
      action: 'system.seed_history',
      details: JSON.stringify({ from: localDay(firstDayMs), days: o.days, seed: o.seed ?? 1, cases, events }),
    })
    .execute();
  return { cases, events, seconds: (performance.now() - t0) / 1000 };
}
