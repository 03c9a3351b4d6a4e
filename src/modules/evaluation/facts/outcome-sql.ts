/**
 * What became of a case as of T, over its evaluation facts: the SQL twin of the domain's one
 * definition (domain/evaluation/outcome.ts outcomeOf) of 立案, 挂账, 应结案, 处置, 结案, 按期结案
 * and 返工. The region indicators of 综合评价 (evaluate-sql.ts) and 运行统计 (stats-sql.ts) both
 * read these expressions, so 处置率, 按期结案率 and 返工率 mean the same on both pages, as they
 * do in the domain.
 */
import { type RawBuilder, sql } from 'kysely';
import { HANDLED_STATES } from '../../../domain/evaluation/index.js';

type Sql = RawBuilder<unknown>;

export type OutcomeSet =
  | 'filed'
  | 'suspended'
  | 'dueClose'
  | 'handled'
  | 'closed'
  | 'closedOnTime'
  | 'reworked';

/**
 * The outcome sets of the case facts row `alias` as of `at`, `state` being the case's state then
 * (null before its first event). `filedWhere` narrows 立案 further (the region's "filed in the
 * period"); every other set is a part of 立案, so it narrows them all.
 */
export function outcomeSql(
  alias: string,
  at: Date,
  state: Sql,
  filedWhere: Sql = sql`true`,
): Record<OutcomeSet, Sql> {
  const before = (col: string) => sql`COALESCE(${sql.ref(`${alias}.${col}`)} < ${at}, false)`;
  // 立案: filed (or self-handled) before T, neither voided nor merged by then.
  const filed = sql`(${filedWhere} AND ${before('filed_at')} AND NOT ${before('void_at')} AND NOT ${before('merge_at')})`;
  const dueClose = sql`(${filed} AND ${state} IS DISTINCT FROM 'suspended')`;
  const closed = sql`(${dueClose} AND ${before('closed_at')})`;
  return {
    filed,
    suspended: sql`(${filed} AND ${state} = 'suspended')`,
    dueClose,
    handled: sql`(${dueClose} AND ${state} = ANY (${[...HANDLED_STATES]}::text[]))`,
    closed,
    // No 签收 / 处置 step ran late after the filing (late_handling_at, projection.ts).
    closedOnTime: sql`(${closed} AND NOT ${before('late_handling_at')})`,
    reworked: sql`(${dueClose} AND ${before('check_fail_at')})`,
  };
}

/** The case's state as of `at`: its last event's, read from the step facts unless all are before. */
export function stateAtSql(alias: string, at: Date): Sql {
  const a = sql.raw(alias);
  return sql`CASE WHEN ${a}.last_at < ${at} THEN ${a}.state
                  ELSE (SELECT s.to_state FROM eval_step_facts s WHERE s.case_id = ${a}.case_id AND s.at < ${at}
                        ORDER BY s.seq DESC LIMIT 1) END`;
}
