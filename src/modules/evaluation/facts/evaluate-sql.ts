/**
 * The evaluation as aggregate SQL over the evaluation facts (migrations/0024): the same figures
 * as the pure engine's replay of the log (domain/evaluation/evaluate.ts), which
 * facts-sql.test.ts proves over generated histories on both stores.
 *
 * Every indicator of the engine is a set of cases per subject. Here each subject type is a
 * "family" of rows (type, subject, case, flags): the flags a case earns for a subject, read from
 * the facts and compared with the period [F, T). Rows are grouped per (subject, case) with
 * bool_or (a case is in a set when any of its rows puts it there: the engine's set union), the
 * derived sets (on time = all − late …) are computed per (subject, case), and each set's size is
 * a count(*) FILTER per subject. All asked types run as one statement, so the period's events are
 * read once.
 *
 * Every rule below names the engine module whose rule it restates.
 */
import { randomBytes } from 'node:crypto';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { IndicatorDef } from '../../../domain/evaluation/tally.js';
import type { EvaluationFilters, SubjectType } from '../../../domain/evaluation/types.js';
import type { Database } from '../../../platform/db/schema.js';
import { outcomeSql, stateAtSql } from './outcome-sql.js';

type Sql = RawBuilder<unknown>;

export interface FactsQuery {
  readonly from: Date;
  readonly to: Date;
  readonly filters?: EvaluationFilters;
  /** Cases in grids starting with this ('' = all). */
  readonly gridPrefix?: string;
  readonly utcOffsetMinutes?: number;
  /**
   * How the category filter applies: 'code' = the engine's prefix match on the case's code;
   * otherwise a condition on `c.category_id` (the store's match through the class mapping).
   */
  readonly categoryFilter?: 'code' | ((column: Sql) => Sql);
  readonly supervisorGrids?: Readonly<Record<string, readonly string[]>>;
  readonly departmentParents?: Readonly<Record<string, string>>;
  readonly collectionTeams?: Readonly<Record<string, { readonly team: string; readonly company: string }>>;
}

/** Set sizes per subject (and the case ids of the sets asked for), per subject type. */
export type SetCounts = Map<
  SubjectType,
  Map<string, { counts: Record<string, number>; ids?: Record<string, string[]> }>
>;

const q = (name: string): Sql => sql.raw(`"${name}"`);

interface Family {
  readonly types: readonly SubjectType[];
  /** Flags OR-ed per (subject, case). */
  readonly raw: readonly string[];
  /** Numbers added per (subject, case). */
  readonly sums?: readonly string[];
  /** Sets derived per (subject, case) from the raw flags (SQL over quoted names). */
  readonly derived: Readonly<Record<string, string>>;
  /** Rows: type, subject, case_id, then the raw flags and sums in order. */
  readonly rows: Sql;
  /** The rows are already one per (type, subject, case): no grouping per case needed. */
  readonly unique?: boolean;
}

/**
 * The actions some family reads from the period's events (a 签收 counts through the feedback
 * after it, a report through the case row): the rest are left out of the period's rows.
 */
const EVALUATED_ACTIONS = [
  'intake',
  'request_verification',
  'request_check',
  'file',
  'close',
  'dispatch',
  'send_to_collaboration',
  'settle_ownership',
  'return_approve',
  'check_fail',
  'check_pass',
  'verify',
  'deny',
  'extend_approve',
  'suspend_approve',
  'urge',
  'feedback',
];

const PUBLIC = ['public', 'hotline_12345', 'media', 'leader'];

/** A SELECT list of the family's raw columns: the given expressions, false / 0 for the others. */
function cols(
  f: { raw: readonly string[]; sums?: readonly string[] },
  given: Record<string, Sql | string>,
): Sql {
  const out: Sql[] = [];
  for (const r of f.raw) {
    const v = given[r];
    out.push(sql`${v === undefined ? sql`false` : typeof v === 'string' ? sql.raw(v) : v} AS ${q(r)}`);
  }
  for (const s of f.sums ?? []) {
    const v = given[s];
    out.push(sql`${v === undefined ? sql`0` : typeof v === 'string' ? sql.raw(v) : v}::int AS ${q(s)}`);
  }
  return sql.join(out);
}

export interface StatementOptions {
  /** The sets whose case ids are listed (a drill-down), per type. */
  readonly ids?: Readonly<Partial<Record<SubjectType, readonly string[]>>>;
  /** Only this subject (a drill-down). */
  readonly only?: string;
  /** Names the temporary tables (default: random, so runs side by side in one session never meet). */
  readonly tag?: string;
  /** Each step in its own transaction: the temporary tables live until `cleanup`, not the commit. */
  readonly stepwise?: boolean;
  /** The period's events are read in this many spans, a statement each (default 1). */
  readonly slices?: number;
}

/**
 * The statements of an evaluation: `prepare` reads the period's events into temporary tables,
 * then one statement per family of subject types, then `cleanup` (stepwise runs only).
 */
export function factsStatement(
  query: FactsQuery,
  types: readonly SubjectType[],
  o: StatementOptions = {},
): { prepare: Sql[]; statements: Sql[]; cleanup: Sql[]; families: Family[] } {
  const F = query.from;
  const T = query.to;
  const before = (col: string) => sql`COALESCE(${sql.raw(col)} < ${T}, false)`;
  const inP = (col: string) => sql`COALESCE(${sql.raw(col)} >= ${F} AND ${sql.raw(col)} < ${T}, false)`;
  const scope = scopeOf(query);

  // ── the period's events and the steps overdue at T, with what every family asks of their case ──
  // Kept in two temporary tables, read by every family's statement (one pass over the period).
  const tag = o.tag ?? randomBytes(4).toString('hex');
  const evTable = sql.raw(`eval_ev_${tag}`);
  const ovdTable = sql.raw(`eval_ovd_${tag}`);
  const onCommit = o.stepwise ? sql`` : sql`ON COMMIT DROP`;
  // The events are read in `slices` spans of the period, one statement each (a background run's
  // progress moves between them).
  const slices = Math.max(1, Math.floor(o.slices ?? 1));
  const bounds = Array.from({ length: slices + 1 }, (_, i) =>
    i === slices ? T : new Date(F.getTime() + Math.floor(((T.getTime() - F.getTime()) * i) / slices)),
  );
  const evRows = (a: Date, b: Date) => sql`
      SELECT e.case_id, e.action, e.actor_id, e.actor_role, e.from_state, e.dept, e.act_late, e.undone_role,
             e.undone_actor, c.grid_code, c.district_code, c.source,
             ${before('c.void_at')} AS voided, ${before('c.merge_at')} AS merged, ${before('c.closed_at')} AS closing
      FROM eval_step_facts e JOIN eval_case_facts c ON c.case_id = e.case_id
      WHERE e.at >= ${a} AND e.at < ${b} AND e.action = ANY (${EVALUATED_ACTIONS}::text[])
        AND c.last_at >= ${a} AND ${scope}`;
  const prepare: Sql[] = [
    // A case has an event in [a, b) only if its last event is at a or later: the redundant
    // condition on last_at keeps the join's case side to the cases alive in the span.
    sql`CREATE TEMPORARY TABLE ${evTable} ${onCommit} AS ${evRows(F, bounds[1] as Date)}`,
    ...bounds.slice(1, -1).map((a, i) => sql`INSERT INTO ${evTable} ${evRows(a, bounds[i + 2] as Date)}`),
    // facts.ts overdueAtEnd: the last event before T left a step running whose deadline is before T.
    sql`CREATE TEMPORARY TABLE ${ovdTable} ${onCommit} AS
      SELECT e.case_id, e.clock_step, e.dept, c.grid_code, ${before('c.void_at')} AS voided,
             ${before('c.closed_at')} AS closing
      FROM eval_step_facts e JOIN eval_case_facts c ON c.case_id = e.case_id
      WHERE e.overdue_from IS NOT NULL AND e.until_at >= ${T} AND e.overdue_from < ${T} AND ${scope}`,
    // Temporary tables are never analyzed by autovacuum: the families' plans need their sizes.
    sql`ANALYZE ${evTable}`,
    sql`ANALYZE ${ovdTable}`,
  ];
  const ctes: Sql[] = [
    sql`ev AS NOT MATERIALIZED (SELECT * FROM ${evTable})`,
    sql`ovd AS NOT MATERIALIZED (SELECT * FROM ${ovdTable})`,
  ];
  const sups = Object.entries(query.supervisorGrids ?? {}).flatMap(([s, grids]) => grids.map((g) => [s, g]));
  ctes.push(
    sql`sg AS (SELECT * FROM unnest(${sups.map((p) => p[0])}::text[], ${sups.map((p) => p[1])}::text[]) AS sg (sup, grid))`,
  );
  const families: Family[] = [];
  const want = (t: SubjectType) => types.includes(t);

  // ── regions (region.ts, outcome.ts, urge.ts) ──
  const regions = (['grid', 'community', 'street', 'district'] as const).filter(want);
  if (regions.length > 0) {
    ctes.push(sql`rg_ids AS (
      SELECT case_id FROM eval_case_facts WHERE created_at >= ${F} AND created_at < ${T}
      UNION SELECT case_id FROM eval_case_facts WHERE filed_at >= ${F} AND filed_at < ${T}
      UNION SELECT case_id FROM ev WHERE action = 'urge')`);
    ctes.push(
      sql`rg_urges AS (SELECT case_id, count(*) AS n FROM ev WHERE action = 'urge' GROUP BY case_id)`,
    );
    ctes.push(sql`rg AS (
      SELECT x.*, CASE WHEN x.fp THEN ${stateAtSql('x', T)} END AS st
      FROM (SELECT c.*, (${inP('c.created_at')} AND NOT ${before('c.merge_at')}) AS reported,
                   (${inP('c.filed_at')} AND NOT ${before('c.void_at')} AND NOT ${before('c.merge_at')}) AS fp,
                   ${before('c.void_at')} AS voided, ${before('c.closed_at')} AS closing,
                   COALESCE(u.n, 0) AS urges
            FROM eval_case_facts c JOIN rg_ids USING (case_id) LEFT JOIN rg_urges u USING (case_id)
            -- Created, filed or urged in the period: the last event is at F or later (prunes the join).
            WHERE c.last_at >= ${F} AND ${scope}) x)`);
    const f = {
      raw: [
        'reports',
        'filed',
        'suspended',
        'dueClose',
        'handled',
        'closed',
        'closedOnTime',
        'reworked',
        'public',
        'urged',
        'urgedRepeat',
        'urgedClosed',
      ],
    };
    // The outcome of the period's filings as of T: the definition 运行统计 shares (outcome-sql.ts).
    const outcome = outcomeSql('rg', T, sql`rg.st`, inP('rg.filed_at'));
    const given = {
      reports: sql`rg.reported`,
      ...outcome,
      public: sql`(rg.fp AND rg.source = ANY (${PUBLIC}::text[]))`,
      urged: sql`(rg.urges > 0 AND NOT rg.voided)`,
      urgedRepeat: sql`(rg.urges > 1 AND NOT rg.voided)`,
      urgedClosed: sql`(rg.urges > 0 AND NOT rg.voided AND rg.closing)`,
    };
    const code = {
      grid: 'grid_code',
      community: 'community_code',
      street: 'street_code',
      district: 'district_code',
    };
    families.push({
      types: regions,
      ...f,
      // One row per case and region type: a case is in one region of each type.
      unique: true,
      derived: {},
      rows: sql.join(
        regions.map(
          (t) =>
            sql`SELECT ${t}::text AS type, rg.${sql.raw(code[t])} AS subject, rg.case_id, ${cols(f, given)} FROM rg`,
        ),
        sql` UNION ALL `,
      ),
    });
  }

  // ── supervisors and the collection teams and companies of their members (supervisor.ts, collection.ts) ──
  const supTypes = (['supervisor', 'collection_team', 'collection_company'] as const).filter(want);
  if (supTypes.length > 0) {
    const f = {
      raw: [
        'reports',
        'pending',
        'decided',
        'valid',
        'shouldReport',
        'missed',
        'verify',
        'verify_late',
        'check',
        'check_late',
      ],
    };
    const decided = sql`(c.creator_action = 'self_handle' OR ${before('c.decide_at')})`;
    const valid = sql`(${decided} AND ${before('c.filed_at')} AND NOT ${before('c.void_at')} AND NOT ${before('c.merge_at')})`;
    ctes.push(sql`sup_raw AS (
      SELECT c.creator_id AS subject, c.case_id, ${cols(f, {
        reports: sql`true`,
        pending: sql`NOT ${decided}`,
        decided,
        valid,
        shouldReport: valid,
      })}
      FROM eval_case_facts c
      WHERE c.creator_role = 'supervisor' AND c.created_at >= ${F} AND c.created_at < ${T} AND ${scope}
      UNION ALL
      SELECT sg.sup, m.case_id, ${cols(f, { missed: sql`true`, shouldReport: sql`true` })}
      FROM (SELECT DISTINCT case_id, grid_code FROM ev
            WHERE action = 'verify' AND source <> 'supervisor' AND NOT merged) m
      JOIN sg ON sg.grid = m.grid_code
      UNION ALL
      SELECT ev.actor_id, ev.case_id, ${cols(f, {
        verify: sql`ev.action IN ('verify', 'deny')`,
        verify_late: sql`(ev.action IN ('verify', 'deny') AND ev.act_late)`,
        check: sql`ev.action IN ('check_pass', 'check_fail')`,
        check_late: sql`(ev.action IN ('check_pass', 'check_fail') AND ev.act_late)`,
      })}
      FROM ev WHERE ev.actor_role = 'supervisor' AND ev.action IN ('verify', 'deny', 'check_pass', 'check_fail')
      UNION ALL
      SELECT sg.sup, ovd.case_id, ${cols(f, {
        verify: sql`ovd.clock_step = 'verify'`,
        verify_late: sql`ovd.clock_step = 'verify'`,
        check: sql`ovd.clock_step = 'check'`,
        check_late: sql`ovd.clock_step = 'check'`,
      })}
      FROM ovd JOIN sg ON sg.grid = ovd.grid_code WHERE ovd.clock_step IN ('verify', 'check'))`);
    const members = Object.entries(query.collectionTeams ?? {});
    ctes.push(sql`cm AS (SELECT * FROM unnest(${members.map((m) => m[0])}::text[], ${members.map((m) => m[1].team)}::text[],
                   ${members.map((m) => m[1].company)}::text[]) AS cm (sup, team, company))`);
    const names = f.raw.map((r) => q(r));
    const rows = supTypes.map((t) =>
      t === 'supervisor'
        ? sql`SELECT 'supervisor'::text AS type, s.subject, s.case_id, ${sql.join(names.map((n) => sql`s.${n}`))} FROM sup_raw s`
        : sql`SELECT ${t}::text AS type, cm.${sql.raw(t === 'collection_team' ? 'team' : 'company')} AS subject, s.case_id,
                     ${sql.join(names.map((n) => sql`s.${n}`))}
              FROM sup_raw s JOIN cm ON cm.sup = s.subject`,
    );
    families.push({
      types: supTypes,
      ...f,
      derived: {
        'verify:onTime': '"verify" AND NOT "verify_late"',
        'check:onTime': '"check" AND NOT "check_late"',
      },
      rows: sql.join(rows, sql` UNION ALL `),
    });
  }

  // ── the centre's posts and the 数字城管中心 as a whole (center.ts, district-center.ts) ──
  const post = {
    intake: ['intakes', 'verifySent', 'verifySent_late', 'checkSent', 'checkSent_late'],
    shift: ['filed', 'voidedFiled', 'filings', 'filings_late', 'closes', 'closes_late'],
    dispatch: ['dispatched', 'dispatched_late', 'misdispatched', 'dispatchReworked'],
  };
  const derived = {
    intake: {
      'verifySent:onTime': '"verifySent" AND NOT "verifySent_late"',
      'checkSent:onTime': '"checkSent" AND NOT "checkSent_late"',
    },
    shift: {
      accurateFiling: '"filed" AND NOT "voidedFiled"',
      'filings:onTime': '"filings" AND NOT "filings_late"',
      'closes:onTime': '"closes" AND NOT "closes_late"',
    },
    dispatch: {
      dispatchErrors: '"misdispatched" OR "dispatchReworked"',
      shouldDispatch: '"dispatched" OR "misdispatched" OR "dispatchReworked"',
      accurateDispatch:
        '("dispatched" OR "misdispatched" OR "dispatchReworked") AND NOT ("misdispatched" OR "dispatchReworked")',
      'dispatched:onTime': '"dispatched" AND NOT "dispatched_late"',
    },
  };
  // Rows of one post's acts, the subject being the actor (posts) or the case's district (centre).
  const postRows = (
    f: { raw: readonly string[]; sums?: readonly string[] },
    part: keyof typeof post,
    centre: boolean,
  ): Sql[] => {
    const who = (actor: string, district: string) => sql.raw(centre ? district : actor);
    if (part === 'intake')
      return [
        sql`SELECT ${who('ev.actor_id', 'ev.district_code')} AS subject, ev.case_id, ${cols(f, {
          intakes: sql`(ev.from_state = 'reported' AND ev.action IN ('intake', 'request_verification'))`,
          verifySent: sql`ev.action = 'request_verification'`,
          verifySent_late: sql`(ev.action = 'request_verification' AND ev.act_late)`,
          checkSent: sql`ev.action = 'request_check'`,
          checkSent_late: sql`(ev.action = 'request_check' AND ev.act_late)`,
        })} FROM ev WHERE ev.actor_role = 'intake' AND ev.action IN ('intake', 'request_verification', 'request_check')`,
      ];
    if (part === 'shift')
      return [
        sql`SELECT ${who('ev.actor_id', 'ev.district_code')} AS subject, ev.case_id, ${cols(f, {
          filed: sql`ev.action = 'file'`,
          filings: sql`(ev.action = 'file' AND NOT ev.voided)`,
          filings_late: sql`(ev.action = 'file' AND NOT ev.voided AND ev.act_late)`,
          closes: sql`ev.action = 'close'`,
          closes_late: sql`(ev.action = 'close' AND ev.act_late)`,
        })} FROM ev WHERE ev.actor_role = 'shift_leader' AND ev.action IN ('file', 'close')`,
        // A void in the period is charged to whoever filed the case (its file events before T).
        sql`SELECT ${who('s.actor_id', 'c.district_code')} AS subject, c.case_id, ${cols(f, { filed: sql`true`, voidedFiled: sql`true` })}
            FROM eval_case_facts c JOIN eval_step_facts s ON s.case_id = c.case_id
            WHERE c.void_at >= ${F} AND c.void_at < ${T} AND ${scope}
              AND s.action = 'file' AND s.actor_role = 'shift_leader' AND s.at < ${T}`,
      ];
    return [
      sql`SELECT ${who('ev.actor_id', 'ev.district_code')} AS subject, ev.case_id, ${cols(f, {
        dispatched: sql`true`,
        dispatched_late: sql`ev.act_late`,
      })} FROM ev WHERE NOT ev.voided AND ev.actor_role = 'dispatcher' AND ev.action IN ('dispatch', 'send_to_collaboration')`,
      // The dispatch a return or a rework undid, charged to its dispatcher.
      sql`SELECT ${who('ev.undone_actor', 'ev.district_code')} AS subject, ev.case_id, ${cols(f, {
        misdispatched: sql`ev.action = 'return_approve'`,
        dispatchReworked: sql`ev.action = 'check_fail'`,
      })} FROM ev WHERE NOT ev.voided AND ev.undone_role = 'dispatcher' AND ev.action IN ('return_approve', 'check_fail')`,
    ];
  };
  const typed = (type: SubjectType, rows: Sql[]): Sql =>
    sql.join(
      rows.map((r) => sql`SELECT ${type}::text AS type, p.* FROM (${r}) p`),
      sql` UNION ALL `,
    );
  for (const [type, part] of [
    ['intake', 'intake'],
    ['shift_leader', 'shift'],
    ['dispatcher', 'dispatch'],
  ] as const) {
    if (!want(type)) continue;
    const f = { raw: post[part] };
    families.push({
      types: [type],
      ...f,
      derived: derived[part],
      rows: typed(type, postRows(f, part, false)),
    });
  }
  if (want('center')) {
    const f = { raw: [...post.intake, ...post.shift, ...post.dispatch, 'closing'], sums: ['urges'] };
    const rows = (['intake', 'shift', 'dispatch'] as const).flatMap((part) => postRows(f, part, true));
    // 督办 on the district's cases (urge.ts).
    rows.push(
      sql`SELECT ev.district_code AS subject, ev.case_id, ${cols(f, {
        closing: sql`ev.closing`,
        urges: sql`1`,
      })} FROM ev WHERE ev.action = 'urge' AND NOT ev.voided`,
    );
    families.push({
      types: ['center'],
      ...f,
      derived: {
        ...derived.intake,
        ...derived.shift,
        ...derived.dispatch,
        urged: '"urges" > 0',
        urgedRepeat: '"urges" > 1',
        urgedClosed: '"urges" > 0 AND "closing"',
      },
      rows: typed('center', rows),
    });
  }

  // ── departments (department.ts, urge.ts) ──
  if (want('department')) {
    const pairs: [string, string][] = [];
    const parents = query.departmentParents ?? {};
    for (const d of Object.keys(parents)) {
      const chain = [d];
      for (let p = parents[d]; p !== undefined && !chain.includes(p); p = parents[p]) {
        chain.push(p);
        pairs.push([d, p]);
      }
    }
    ctes.push(
      sql`up AS (SELECT * FROM unnest(${pairs.map((p) => p[0])}::text[], ${pairs.map((p) => p[1])}::text[]) AS up (dept, unit))`,
    );
    // Per (case, department): the department's acts in the period and its step overdue at T.
    ctes.push(sql`dp AS (
      SELECT case_id, dept, bool_or(closing) AS closing,
             bool_or(action IN ('dispatch', 'settle_ownership')) AS assigned,
             bool_or(action = 'check_fail') AS reworked, bool_or(action = 'extend_approve') AS extended,
             bool_or(action = 'suspend_approve') AS suspended, bool_or(action = 'return_approve') AS returned,
             bool_or(action = 'feedback') AS fed, bool_or(action = 'feedback' AND act_late) AS fed_late,
             count(*) FILTER (WHERE action = 'urge') AS urges, bool_or(over) AS over
      FROM (SELECT case_id, dept, closing, action, act_late, false AS over FROM ev WHERE dept IS NOT NULL AND NOT voided
            UNION ALL
            SELECT case_id, dept, closing, NULL, false, true FROM ovd
            WHERE clock_step IN ('sign', 'handle') AND dept IS NOT NULL AND NOT voided) a
      GROUP BY case_id, dept)`);
    const f = {
      raw: [
        'assigned',
        'reworked',
        'extended',
        'suspended',
        'returned',
        'due',
        'overdueOpen',
        'handled',
        'late',
        'onTime',
        'dueClose',
        'engaged',
        'closed',
        'closing',
      ],
      sums: ['urges'],
    };
    const given = {
      assigned: 'dp.assigned',
      reworked: 'dp.reworked',
      extended: 'dp.extended',
      suspended: 'dp.suspended',
      returned: 'dp.returned',
      due: '(dp.fed OR dp.over)',
      overdueOpen: 'dp.over',
      handled: '(dp.fed AND NOT dp.over)',
      late: '(dp.fed AND NOT dp.over AND dp.fed_late)',
      onTime: '(dp.fed AND NOT dp.over AND NOT dp.fed_late)',
      dueClose: '(dp.fed OR dp.over OR dp.reworked)',
      engaged: '(dp.fed OR dp.over OR dp.reworked OR dp.extended OR dp.suspended)',
      closed: '((dp.fed OR dp.over) AND dp.closing)',
      closing: 'dp.closing',
      urges: 'dp.urges',
    };
    families.push({
      types: ['department'],
      ...f,
      derived: { urged: '"urges" > 0', urgedRepeat: '"urges" > 1', urgedClosed: '"urges" > 0 AND "closing"' },
      rows: sql`SELECT 'department'::text AS type, dp.dept AS subject, dp.case_id, ${cols(f, given)} FROM dp
                UNION ALL
                SELECT 'department'::text, up.unit, dp.case_id, ${cols(f, given)} FROM dp JOIN up ON up.dept = dp.dept`,
    });
  }

  // ── one aggregate per family ──
  const selects = families.map((fam, i) => {
    const sets = setsOf(fam);
    const listing = [...fam.raw.filter((r) => r !== 'closing'), ...Object.keys(fam.derived)];
    const idSets = (t: SubjectType) => o.ids?.[t] ?? [];

    const idList = [...new Set(fam.types.flatMap(idSets))].filter((x) => sets.includes(x));
    return sql`SELECT ${i}::int AS family, type, subject,
        ARRAY[${sql.join(sets.map((s) => sql`count(*) FILTER (WHERE ${q(s)})`))}]::int[] AS counts,
        ${
          idList.length > 0
            ? sql`jsonb_build_object(${sql.join(
                idList.map(
                  (s) =>
                    sql`${s}::text, COALESCE(array_agg(case_id::text ORDER BY case_id) FILTER (WHERE ${q(s)}), '{}')`,
                ),
              )})`
            : sql`NULL::jsonb`
        } AS ids
      FROM (SELECT type, subject, case_id, ${sql.join(fam.raw.map((r) => q(r)))}
                   ${fam.sums ? sql`, ${sql.join(fam.sums.map((s) => q(s)))}` : sql``}
                   ${Object.keys(fam.derived).length > 0 ? sql`, ${sql.join(Object.entries(fam.derived).map(([n, e]) => sql`(${sql.raw(e)}) AS ${q(n)}`))}` : sql``}
            FROM ${
              fam.unique
                ? sql`(SELECT * FROM (${fam.rows}) r
                       WHERE subject IS NOT NULL ${o.only === undefined ? sql`` : sql`AND subject = ${o.only}`}) g) d`
                : sql`(SELECT type, subject, case_id, ${sql.join(fam.raw.map((r) => sql`bool_or(${q(r)}) AS ${q(r)}`))}
                         ${fam.sums ? sql`, ${sql.join(fam.sums.map((s) => sql`sum(${q(s)})::int AS ${q(s)}`))}` : sql``}
                  FROM (${fam.rows}) r
                  WHERE subject IS NOT NULL ${o.only === undefined ? sql`` : sql`AND subject = ${o.only}`}
                  GROUP BY type, subject, case_id) g) d`
            }
      GROUP BY type, subject
      HAVING bool_or(${sql.raw(listing.map((s) => `"${s}"`).join(' OR '))})`;
  });
  // One statement per family: each a step of a background run's progress.
  const statements = selects.map((select) => sql`WITH ${sql.join(ctes)} ${select}`);
  const cleanup = [sql`DROP TABLE IF EXISTS ${evTable}, ${ovdTable}`];
  return { prepare, statements, cleanup, families };
}

/** Every set of a family, raw then derived: the order of the counts array (sums are no sets). */
function setsOf(f: Family): string[] {
  return [...f.raw, ...Object.keys(f.derived)];
}

/** The cases a query reads: reported before T, in the grid prefix, through the filters. */
export function scopeOf(query: FactsQuery): Sql {
  const f = query.filters ?? {};
  const parts: Sql[] = [sql`c.reported_at < ${query.to}`];
  if (query.gridPrefix) parts.push(sql`c.grid_code LIKE ${`${query.gridPrefix}%`}`);
  if (f.categories?.length) {
    const by = query.categoryFilter ?? 'code';
    parts.push(
      by === 'code'
        ? sql`c.category_code LIKE ANY (${f.categories.map((c) => `${c}%`)}::text[])`
        : by(sql.ref('c.category_id') as unknown as Sql),
    );
  }
  if (f.areaClasses?.length) parts.push(sql`c.area_class = ANY (${[...f.areaClasses]}::text[])`);
  if (f.sources?.length) parts.push(sql`c.source = ANY (${[...f.sources]}::text[])`);
  if (f.kinds?.length) parts.push(sql`c.kind = ANY (${[...f.kinds]}::text[])`);
  if (f.timeSlots?.length) {
    const hour = sql`extract(hour FROM (c.reported_at AT TIME ZONE 'UTC') + make_interval(mins => ${query.utcOffsetMinutes ?? 480}::int))`;
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
  return sql`(${sql.join(parts, sql` AND `)})`;
}

interface ResultRow {
  family: number;
  type: SubjectType;
  subject: string;
  counts: number[];
  ids: Record<string, string[]> | null;
}

/** How an evaluation's steps run when progress is asked for between them. */
export interface FactsSteps {
  /**
   * Called after each step with the steps done, the steps in all and what the step did. Each
   * step then runs in its own transaction, so nothing is held while the caller reports.
   */
  progress: (done: number, total: number, step: string) => Promise<void>;
  /**
   * 'pooled' (PostgreSQL): the steps hold one connection of the pool, where the temporary tables
   * live; 'shared' (PGlite): the store is one session, the steps release it between them so that
   * the server's other queries run meanwhile.
   */
  session: 'pooled' | 'shared';
  /** The period's events are read in this many spans, a step each. */
  slices?: number;
}

async function settings(trx: Kysely<Database>) {
  // Short statements; JIT compilation would cost more than it saves (as in repo.ts).
  await sql`SET LOCAL jit = off`.execute(trx);
  // The per-(subject, case) groupings of a year spill to disk at the default 4 MB (bench/profile-facts.ts).
  await sql`SET LOCAL work_mem = '128MB'`.execute(trx);
}

/**
 * Runs the statements: the size of every set per subject of each asked type, and the case ids of
 * the sets named in `o.ids` (for a drill-down, with `o.only` the one subject). Without `steps`
 * all in one transaction; with them a step per transaction, reporting progress between steps.
 */
export async function evaluateFacts(
  db: Kysely<Database>,
  query: FactsQuery,
  types: readonly SubjectType[],
  o: Omit<StatementOptions, 'stepwise' | 'slices'> = {},
  steps?: FactsSteps,
): Promise<SetCounts> {
  const out: SetCounts = new Map(types.map((t) => [t, new Map()]));
  let rows: ResultRow[] = [];
  let families: Family[];
  if (!steps) {
    const made = factsStatement(query, types, o);
    families = made.families;
    rows = await db.transaction().execute(async (trx) => {
      await settings(trx);
      for (const p of made.prepare) await p.execute(trx);
      const all: ResultRow[] = [];
      for (const st of made.statements) all.push(...(await sql<ResultRow>`${st}`.execute(trx)).rows);
      return all;
    });
  } else {
    const made = factsStatement(query, types, { ...o, stepwise: true, slices: steps.slices ?? 1 });
    families = made.families;
    const labels = [
      ...made.prepare.map((_, i) =>
        i < (steps.slices ?? 1)
          ? `读取期间事件 · reading the period's events ${i + 1}`
          : '统计准备 · preparing',
      ),
      ...made.families.map((f) => `汇总 · tallying ${f.types.join(', ')}`),
    ];
    const total = labels.length;
    const run = async (x: Kysely<Database>) => {
      let done = 0;
      const step = async <T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> => {
        const r = await x.transaction().execute(async (trx) => {
          await settings(trx);
          return fn(trx);
        });
        done++;
        await steps.progress(done, total, labels[done - 1] ?? '');
        return r;
      };
      try {
        for (const p of made.prepare) await step((trx) => p.execute(trx));
        for (const st of made.statements)
          rows.push(...(await step((trx) => sql<ResultRow>`${st}`.execute(trx))).rows);
      } finally {
        for (const c of made.cleanup) await c.execute(x);
      }
    };
    if (steps.session === 'pooled') await db.connection().execute(run);
    else await run(db);
  }
  for (const r of rows) {
    const fam = families[r.family] as Family;
    const sets = setsOf(fam);
    const counts: Record<string, number> = {};
    sets.forEach((s, i) => {
      counts[s] = Number(r.counts[i] ?? 0);
    });
    const ids = typeof r.ids === 'string' ? JSON.parse(r.ids) : r.ids;
    out.get(r.type)?.set(r.subject, ids ? { counts, ids } : { counts });
  }
  return out;
}

/** The sets a type's indicators read (numerator and denominator sets of each). */
export function setsOfDefs(defs: readonly IndicatorDef[]): string[] {
  return [...new Set(defs.flatMap((d) => (d.kind === 'count' ? [d.set] : [d.num, d.den])))];
}
