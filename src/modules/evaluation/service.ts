/**
 * Evaluation use cases: the results of one subject type over a period (indicators, score, grade,
 * rank), and the case list behind one figure (drill-down). Access: `evaluation.read`; a centre
 * reader sees the cases of its area (district staff their district), a department reader only
 * its own department and sub-units.
 */
import {
  CONFIRMED_FRAUD,
  type CollectionType,
  type EvaluationScheme,
  type Figure,
  indicatorsOf,
  PATROL_COVERAGE,
  rank,
  type SubjectType,
  score,
} from '../../domain/evaluation/index.js';
import { type Actor, type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import {
  collectionTeamsFor,
  confirmedFraudCases,
  isCollectionType,
  loadPatrolCoverage,
} from './collection.js';
import { type Cell, compute, type Tallies } from './compute.js';
import { filtersOf, type Period, periodOf } from './period.js';
import { casesByIds, loadReference, type Reference } from './repo.js';
import type { DrilldownQuery, ResultsQuery } from './schema.js';
import { resolveScheme } from './schemes.js';
import { areaClasses } from './subjects.js';

const PEOPLE: readonly SubjectType[] = ['supervisor', 'intake', 'shift_leader', 'dispatcher'];

export function subjectName(ref: Reference, type: SubjectType, id: string): string {
  if (type === 'department') return ref.departmentNames.get(id) ?? id;
  if (PEOPLE.includes(type)) return ref.userNames.get(id) ?? id;
  if (type === 'collection_team') return ref.collectionTeamNames.get(id) ?? id;
  if (type === 'collection_company') return ref.collectionCompanyNames.get(id) ?? id;
  if (type === 'grid') return `${ref.divisionNames.get(id.slice(0, 12)) ?? ''}${id.slice(12)}号网格`;
  if (type === 'center') return `${ref.divisionNames.get(id) ?? id}数字城管中心`;
  return ref.divisionNames.get(id) ?? id;
}

/** Who may see which subjects; the grid prefix of the cases the reader's evaluation reads. */
export function readerScope(actor: Actor, type: SubjectType, ref: Reference) {
  if (actor.role === 'department' || actor.role === 'handler') {
    if (type !== 'department')
      throw new AppError('EVALUATION_SUBJECT_TYPE_NOT_ALLOWED', { details: { subjectType: type } });
    const path = actor.departmentPath ?? '\u0000';
    return {
      gridPrefix: '',
      visible: (id: string) => (ref.departmentPaths.get(id) ?? '').startsWith(path),
    };
  }
  return { gridPrefix: actor.scopePrefix, visible: (_id: string) => true };
}

export interface ResultRow {
  subjectId: string;
  subjectName: string;
  indicators: Record<string, Cell>;
  composite: number | null;
  grade: string | null;
  rank: number | null;
  tied: boolean;
  contributions: ReturnType<typeof score>['contributions'];
}

/** Scores and ranks the tallies of one subject type under a scheme. */
export function scoreRows(
  tallies: Tallies,
  type: SubjectType,
  scheme: EvaluationScheme,
  ref: Reference,
  visible: (id: string) => boolean,
): ResultRow[] {
  const classes = areaClasses(ref, type);
  const rows = [...(tallies.get(type) ?? new Map()).entries()]
    .filter(([id]) => visible(id))
    .map(([subjectId, indicators]) => {
      // score() reads only the value of each figure.
      const figures = indicators as unknown as Record<string, Figure>;
      const s = score(figures, scheme, { areaClass: classes.get(subjectId) ?? null });
      return { subjectId, indicators, s };
    });
  return rank(rows, (r) => r.s.composite, { idOf: (r) => r.subjectId }).map(
    ({ rank: position, tied, item }) => ({
      subjectId: item.subjectId,
      subjectName: subjectName(ref, type, item.subjectId),
      indicators: item.indicators,
      composite: item.s.composite,
      grade: item.s.grade,
      rank: position,
      tied,
      contributions: item.s.contributions,
    }),
  );
}

const presentPeriod = (p: Period) => ({
  kind: p.kind,
  from: p.from.toISOString(),
  to: p.to.toISOString(),
  firstDay: p.firstDay,
  lastDay: p.lastDay,
});

/** How a background run (./jobs.ts) drives the evaluation: smaller chunks, progress between them. */
export interface EvaluationRun {
  chunk?: number;
  progress?: (done: number, total: number, step?: string) => Promise<void>;
  /** 'facts' (default) or 'replay' (the engine over the event log; see EVALUATION_ENGINE). */
  engine?: 'facts' | 'replay';
  /** How the facts' steps hold the store's session (compute.ts ComputeInput.session). */
  session?: 'pooled' | 'shared';
}

export async function evaluationResults(ctx: Ctx, q: ResultsQuery, run: EvaluationRun = {}) {
  requirePermission(ctx.actor, 'evaluation.read');
  const period = periodOf(q.period, q.from, q.to);
  const filters = filtersOf(q);
  const ref = await loadReference(ctx.db);
  const scope = readerScope(ctx.actor, q.subjectType, ref);
  const scheme = await resolveScheme(ctx.db, q.subjectType, q.scheme, q.schemeVersion);
  const { tallies } = await compute(ctx.db, {
    from: period.from,
    to: period.to,
    filters,
    gridPrefix: scope.gridPrefix,
    types: [q.subjectType],
    ref,
    ...run,
  });
  return {
    subjectType: q.subjectType,
    period: presentPeriod(period),
    filters,
    scheme: { id: scheme.id, version: scheme.version, name: scheme.name },
    indicators: indicatorsOf(q.subjectType),
    rows: scoreRows(tallies, q.subjectType, scheme, ref, scope.visible),
  };
}

export async function evaluationDrilldown(ctx: Ctx, q: DrilldownQuery) {
  requirePermission(ctx.actor, 'evaluation.read');
  const period = periodOf(q.period, q.from, q.to);
  const filters = filtersOf(q);
  const info = indicatorsOf(q.subjectType).find((i) => i.key === q.indicator);
  if (!info)
    throw new AppError('EVALUATION_INDICATOR_UNKNOWN', {
      details: { subjectType: q.subjectType, indicator: q.indicator },
    });
  const ref = await loadReference(ctx.db);
  const scope = readerScope(ctx.actor, q.subjectType, ref);
  if (!scope.visible(q.subject)) throw new AppError('NOT_FOUND', { details: { resource: 'subject' } });
  const head = {
    subjectType: q.subjectType,
    subject: q.subject,
    subjectName: subjectName(ref, q.subjectType, q.subject),
    indicator: info,
    part: q.part,
    period: presentPeriod(period),
  };
  if (isCollectionType(q.subjectType) && q.indicator === PATROL_COVERAGE) {
    // Supervisor-days, not cases, paged like the cases (a company's year is thousands of them).
    const { cell, dutyDays } = await coverageDrilldown(ctx, ref, q.subjectType, q.subject, q.part, {
      from: period.from,
      to: period.to,
      gridPrefix: scope.gridPrefix,
    });
    return {
      ...head,
      cell,
      count: dutyDays.length,
      offset: q.offset,
      limit: q.limit,
      cases: [],
      dutyDays: dutyDays.slice(q.offset, q.offset + q.limit),
    };
  }
  const { tallies, caseIds } =
    isCollectionType(q.subjectType) && q.indicator === CONFIRMED_FRAUD
      ? await confirmedFraudDrilldown(ctx.db, ref, q.subjectType, q.subject, {
          from: period.from,
          to: period.to,
          gridPrefix: scope.gridPrefix,
        })
      : await compute(
          ctx.db,
          {
            from: period.from,
            to: period.to,
            filters,
            gridPrefix: scope.gridPrefix,
            types: [q.subjectType],
            ref,
          },
          { type: q.subjectType, subject: q.subject, indicator: q.indicator, part: q.part },
        );
  const cell = tallies.get(q.subjectType)?.get(q.subject)?.[q.indicator] ?? null;
  const cases = await casesByIds(ctx.db, caseIds.slice(q.offset, q.offset + q.limit));
  return {
    ...head,
    cell,
    count: caseIds.length,
    offset: q.offset,
    limit: q.limit,
    cases: cases.map((c) => ({
      id: c.id,
      number: c.number,
      state: c.state,
      source: c.source,
      gridCode: c.grid_code,
      categoryCode: c.category_code,
      categoryName: c.category_name,
      departmentCode: c.department_code,
      reportedAt: c.reported_at.toISOString(),
      closedAt: c.closed_at ? c.closed_at.toISOString() : null,
    })),
  };
}

/** The supervisor-days behind a team's or company's 巡查时间覆盖率 (numerator: the covered ones). */
async function coverageDrilldown(
  ctx: Ctx,
  ref: Reference,
  type: CollectionType,
  subject: string,
  part: 'numerator' | 'denominator',
  o: { from: Date; to: Date; gridPrefix: string },
) {
  const members = collectionTeamsFor(ref, o.gridPrefix);
  const coverage = await loadPatrolCoverage(ctx.db, {
    from: o.from,
    to: o.to,
    collectionTeams: members,
    contractDailyHours: ref.contractDailyHours,
  });
  const level = type === 'collection_team' ? 'team' : 'company';
  const f = coverage.figures[type].get(subject);
  const cell: Cell | null = f
    ? { kind: 'rate', value: f.value, numerator: f.numerator, denominator: f.denominator }
    : null;
  const dutyDays = coverage.dutyDays
    .filter((d) => members[d.supervisorId]?.[level] === subject && (part === 'denominator' || d.covered))
    .map((d) => ({
      userId: Number(d.supervisorId),
      userName: ref.userNames.get(d.supervisorId) ?? d.supervisorId,
      day: d.day,
      dutyMinutes: d.dutyMinutes,
      covered: d.covered,
    }));
  return { cell, dutyDays };
}

/** The reports behind a team's or company's 确认造假数 (confirmed anti-fraud flags). */
async function confirmedFraudDrilldown(
  db: Ctx['db'],
  ref: Reference,
  type: CollectionType,
  subject: string,
  o: { from: Date; to: Date; gridPrefix: string },
): Promise<{ tallies: Tallies; caseIds: number[] }> {
  const found = await confirmedFraudCases(db, {
    from: o.from,
    to: o.to,
    collectionTeams: collectionTeamsFor(ref, o.gridPrefix),
  });
  const caseIds = found[type].get(subject) ?? [];
  const cell: Cell = { kind: 'count', value: caseIds.length, numerator: caseIds.length, denominator: 0 };
  return { tallies: new Map([[type, new Map([[subject, { [CONFIRMED_FRAUD]: cell }]])]]), caseIds };
}
