/**
 * Outsourced collection (信息采集外包) in the store-backed evaluation: which members count for
 * the reader, and 巡查时间覆盖率 (patrol time coverage), which is not case based: the duty
 * shifts of the period are read once and the figures merged into the case tallies after the
 * case chunks (compute.ts).
 */
import { type Kysely, sql } from 'kysely';
import {
  COLLECTION_TYPES,
  CONFIRMED_FRAUD,
  type CollectionMembership,
  type CollectionType,
  dutyMinutesByDay,
  indicatorsOf,
  PATROL_COVERAGE,
  type PatrolCoverage,
  patrolCoverage,
  type SubjectType,
  workingDaysOf,
} from '../../domain/evaluation/index.js';
import type { Database } from '../../platform/db/schema.js';
import { loadCalendar } from '../calendar/repo.js';
import type { Cell, Tallies } from './compute.js';
import { UTC_OFFSET_MINUTES } from './period.js';
import type { Reference } from './repo.js';

/** The calendar whose working days a contract's daily hours apply to. */
export const COVERAGE_CALENDAR = 'office';

export const isCollectionType = (t: SubjectType): t is CollectionType =>
  (COLLECTION_TYPES as readonly string[]).includes(t);

/**
 * Team members (as of now) who count for a reader whose evaluation reads the grids under
 * `gridPrefix`: like supervisors, one outside the reader's area is not part of it; at city
 * level ('') every member counts, with grids or without.
 */
export function collectionTeamsFor(ref: Reference, gridPrefix: string): Record<string, CollectionMembership> {
  if (gridPrefix === '') return ref.collectionTeams;
  // A member belongs to the reader's area by his grids; one without grids (new, or between
  // assignments) by his own division, so a city reader still sees him.
  const inArea = (user: string) => {
    const grids = ref.supervisorGrids[user] ?? [];
    if (grids.length > 0) return grids.some((g) => g.startsWith(gridPrefix));
    return (ref.userDivisions.get(user) ?? '\u0000').startsWith(gridPrefix);
  };
  return Object.fromEntries(Object.entries(ref.collectionTeams).filter(([user]) => inArea(user)));
}

interface ShiftRow {
  user_id: number;
  started_at: Date;
  ended_at: Date | null;
}

/** 巡查时间覆盖率 of the given members over [from, to), judged as of `now`. */
export async function loadPatrolCoverage(
  db: Kysely<Database>,
  o: {
    from: Date;
    to: Date;
    collectionTeams: Record<string, CollectionMembership>;
    contractDailyHours: Record<string, number>;
    now?: Date;
  },
): Promise<PatrolCoverage> {
  const now = o.now ?? new Date();
  const users = Object.keys(o.collectionTeams).map(Number);
  const cal = await loadCalendar(db, COVERAGE_CALENDAR);
  const workingDays = cal ? workingDaysOf(cal, o.from, o.to, now) : [];
  const until = new Date(Math.min(o.to.getTime(), now.getTime()));
  const shifts =
    users.length === 0 || workingDays.length === 0
      ? []
      : (
          await sql<ShiftRow>`
            SELECT user_id, started_at, ended_at FROM patrol_shifts
            WHERE user_id = ANY (${users}::int[]) AND started_at < ${until}
              AND (ended_at IS NULL OR ended_at > ${o.from})`.execute(db)
        ).rows;
  const dutyMinutes = dutyMinutesByDay(
    shifts.map((s) => ({ supervisorId: String(s.user_id), startedAt: s.started_at, endedAt: s.ended_at })),
    { from: o.from, to: o.to, now, utcOffsetMinutes: UTC_OFFSET_MINUTES },
  );
  return patrolCoverage({
    dutyMinutes,
    workingDays,
    collectionTeams: o.collectionTeams,
    contractDailyHours: o.contractDailyHours,
  });
}

const emptyCells = (type: SubjectType): Record<string, Cell> =>
  Object.fromEntries(
    indicatorsOf(type).map((i) => [i.key, { kind: i.kind, value: null, numerator: 0, denominator: 0 }]),
  );

/**
 * Adds 巡查时间覆盖率 to the tallies of the collection types asked for (nothing is read when
 * none is). Runs once after the case chunks, before values are derived from the counts; a team
 * with scheduled days but no case in the period gets empty case cells. Case filters (category,
 * source …) do not apply: duty time belongs to no case.
 */
export async function mergePatrolCoverage(
  db: Kysely<Database>,
  tallies: Tallies,
  o: { from: Date; to: Date; types: readonly SubjectType[]; ref: Reference; gridPrefix: string },
): Promise<void> {
  const types = o.types.filter(isCollectionType);
  if (types.length === 0) return;
  await mergeConfirmedFraud(db, tallies, { ...o, types });
  const coverage = await loadPatrolCoverage(db, {
    from: o.from,
    to: o.to,
    collectionTeams: collectionTeamsFor(o.ref, o.gridPrefix),
    contractDailyHours: o.ref.contractDailyHours,
  });
  for (const type of types) {
    const bySubject = tallies.get(type);
    if (!bySubject) continue;
    for (const [subject, f] of coverage.figures[type]) {
      const cells = bySubject.get(subject) ?? emptyCells(type);
      cells[PATROL_COVERAGE] = {
        kind: 'rate',
        value: f.value,
        numerator: f.numerator,
        denominator: f.denominator,
      };
      bySubject.set(subject, cells);
    }
  }
}

/**
 * The reports confirmed as fraud (anti-fraud review) of the given members in [from, to), by the
 * report's time: case ids per team and company (a report with two confirmed flags counts once).
 */
export async function confirmedFraudCases(
  db: Kysely<Database>,
  o: { from: Date; to: Date; collectionTeams: Record<string, CollectionMembership> },
): Promise<Record<CollectionType, Map<string, number[]>>> {
  const users = Object.keys(o.collectionTeams).map(Number);
  const out = {
    collection_team: new Map<string, number[]>(),
    collection_company: new Map<string, number[]>(),
  };
  if (users.length === 0) return out;
  const rows = await db
    .selectFrom('fraud_flags')
    .select(['case_id', 'reporter_id'])
    .distinct()
    .where('status', '=', 'confirmed')
    .where('reporter_id', 'in', users)
    .where('reported_at', '>=', o.from)
    .where('reported_at', '<', o.to)
    .orderBy('case_id')
    .execute();
  for (const r of rows) {
    const m = o.collectionTeams[String(r.reporter_id)];
    if (!m) continue;
    for (const [type, subject] of [
      ['collection_team', m.team],
      ['collection_company', m.company],
    ] as const) {
      const list = out[type].get(subject) ?? [];
      if (!list.includes(r.case_id)) list.push(r.case_id);
      out[type].set(subject, list);
    }
  }
  return out;
}

/** 确认造假数 into the tallies of the collection types: every subject listed gets the figure (0 when clean). */
async function mergeConfirmedFraud(
  db: Kysely<Database>,
  tallies: Tallies,
  o: { from: Date; to: Date; types: readonly CollectionType[]; ref: Reference; gridPrefix: string },
): Promise<void> {
  const found = await confirmedFraudCases(db, {
    from: o.from,
    to: o.to,
    collectionTeams: collectionTeamsFor(o.ref, o.gridPrefix),
  });
  for (const type of o.types) {
    const bySubject = tallies.get(type);
    if (!bySubject) continue;
    for (const [subject, ids] of found[type]) {
      const cells = bySubject.get(subject) ?? emptyCells(type);
      bySubject.set(subject, cells);
      cells[CONFIRMED_FRAUD] = { kind: 'count', value: ids.length, numerator: ids.length, denominator: 0 };
    }
  }
}
