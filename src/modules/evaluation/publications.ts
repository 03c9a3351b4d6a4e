/**
 * Publishing (发布): the results of a finished period are computed once, scored with the latest
 * version of each chosen scheme, and frozen as rows with that version named. Later scheme edits
 * add versions and never touch a publication (the database refuses to change its rows).
 */
import {
  type EvaluationScheme,
  NATIONAL_SCHEMES,
  SUBJECT_TYPES,
  type SubjectType,
} from '../../domain/evaluation/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { pageInfo } from '../../platform/http/paging.js';
import { type ComputeInput, compute } from './compute.js';
import { periodOf } from './period.js';
import { loadReference } from './repo.js';
import type { PublishInput } from './schema.js';
import { resolveScheme } from './schemes.js';
import { readerScope, scoreRows } from './service.js';

/** What a publication will freeze, checked in the request before any counting starts. */
export interface PublishPlan {
  input: PublishInput;
  period: ReturnType<typeof periodOf>;
  types: SubjectType[];
  schemes: Record<SubjectType, EvaluationScheme>;
}

/**
 * The request's part of publishing: the asker's right, a finished period, schemes that exist
 * and match the subject types. Refusals come from here, at once, before a job is queued.
 */
export async function planPublication(ctx: Ctx, input: PublishInput): Promise<PublishPlan> {
  requirePermission(ctx.actor, 'evaluation.publish');
  const period = periodOf(input.period, input.from, input.to);
  if (period.to.getTime() > Date.now())
    throw new AppError('EVALUATION_PERIOD_NOT_OVER', { details: { to: period.to.toISOString() } });
  const types = input.subjectTypes ?? [...SUBJECT_TYPES];
  const schemes = {} as Record<SubjectType, EvaluationScheme>;
  for (const t of types)
    schemes[t] = await resolveScheme(ctx.db, t, input.schemes?.[t] ?? NATIONAL_SCHEMES[t].id);
  for (const key of Object.keys(input.schemes ?? {}))
    if (!types.includes(key as SubjectType))
      throw new AppError('EVALUATION_SCHEME_SUBJECT_MISMATCH', { details: { subjectType: key } });
  return { input, period, types, schemes };
}

/** How the counting of a publication runs (the background job's chunks, engine and progress). */
export type PublishRun = Pick<ComputeInput, 'chunk' | 'engine' | 'session' | 'progress'>;

/**
 * Counts the period (the same computation as the live results) and freezes it: run by the
 * evaluation.publish job, since a year of cases takes far longer than a request may.
 */
export async function writePublication(ctx: Ctx, plan: PublishPlan, run: PublishRun = {}): Promise<number> {
  const { input, period, types, schemes } = plan;
  const ref = await loadReference(ctx.db);
  const { tallies } = await compute(ctx.db, {
    from: period.from,
    to: period.to,
    filters: {},
    gridPrefix: ctx.actor.scopePrefix,
    types,
    ref,
    ...run,
  });
  const id = await ctx.db.transaction().execute(async (trx) => {
    const pub = await trx
      .insertInto('evaluation_publications')
      .values({
        title: input.title,
        period_kind: period.kind,
        period_from: period.from,
        period_to: period.to,
        filters: '{}',
        schemes: JSON.stringify(
          Object.fromEntries(types.map((t) => [t, { schemeId: schemes[t].id, version: schemes[t].version }])),
        ),
        published_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const t of types) {
      const rows = scoreRows(tallies, t, schemes[t], ref, () => true);
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('evaluation_publication_rows')
          .values(
            rows.slice(i, i + 500).map((r) => ({
              publication_id: pub.id,
              subject_type: t,
              subject_id: r.subjectId,
              subject_name: r.subjectName,
              indicators: JSON.stringify(r.indicators),
              composite: r.composite,
              grade: r.grade,
              rank: r.rank,
            })),
          )
          .execute();
      }
    }
    await trx
      .insertInto('audit_log')
      .values({
        actor_id: ctx.actor.userId > 0 ? ctx.actor.userId : null,
        actor_name: ctx.actor.username,
        action: 'evaluation.publish',
        target: `publication:${pub.id}`,
        ip: ctx.meta.ip,
        request_id: ctx.meta.requestId,
        details: JSON.stringify({ from: period.firstDay, to: period.lastDay, types }),
      })
      .execute();
    return pub.id;
  });
  return id;
}

/** Plans and writes in one go (the CLI and tests; the API queues the writing as a job). */
export async function publish(ctx: Ctx, input: PublishInput) {
  return getPublication(ctx, await writePublication(ctx, await planPublication(ctx, input)));
}

const presentHead = (p: {
  id: number;
  title: string;
  period_kind: string;
  period_from: Date;
  period_to: Date;
  schemes: unknown;
  published_by: number | null;
  published_at: Date;
}) => ({
  id: p.id,
  title: p.title,
  period: { kind: p.period_kind, from: p.period_from.toISOString(), to: p.period_to.toISOString() },
  schemes: p.schemes as Record<string, { schemeId: string; version: number }>,
  publishedBy: p.published_by,
  publishedAt: p.published_at.toISOString(),
});

export async function listPublications(ctx: Ctx, q: { limit: number; offset: number }) {
  requirePermission(ctx.actor, 'evaluation.read');
  const [rows, count] = await Promise.all([
    ctx.db
      .selectFrom('evaluation_publications')
      .selectAll()
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    ctx.db
      .selectFrom('evaluation_publications')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { ...pageInfo(Number(count.n), q.limit, q.offset), items: rows.map(presentHead) };
}

/** A publication with its ranking tables (department readers: their own department only). */
export async function getPublication(ctx: Ctx, id: number, only?: SubjectType) {
  requirePermission(ctx.actor, 'evaluation.read');
  const head = await ctx.db
    .selectFrom('evaluation_publications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!head) throw notFound('publication');
  const dept = ctx.actor.role === 'department' || ctx.actor.role === 'handler';
  if (dept && only && only !== 'department')
    throw new AppError('EVALUATION_SUBJECT_TYPE_NOT_ALLOWED', { details: { subjectType: only } });
  let q = ctx.db
    .selectFrom('evaluation_publication_rows')
    .selectAll()
    .where('publication_id', '=', id)
    .orderBy('subject_type')
    .orderBy((eb) => eb.fn.coalesce('rank', eb.lit(1_000_000)))
    .orderBy('subject_id');
  if (only) q = q.where('subject_type', '=', only);
  if (dept) q = q.where('subject_type', '=', 'department');
  const rows = await q.execute();
  const ref = dept ? await loadReference(ctx.db) : null;
  const visible = ref ? readerScope(ctx.actor, 'department', ref).visible : () => true;
  const tables: Record<string, unknown[]> = {};
  for (const r of rows) {
    if (!visible(r.subject_id)) continue;
    const table = tables[r.subject_type] ?? [];
    tables[r.subject_type] = table;
    table.push({
      subjectId: r.subject_id,
      subjectName: r.subject_name,
      indicators: r.indicators,
      composite: r.composite,
      grade: r.grade,
      rank: r.rank,
    });
  }
  return { ...presentHead(head), tables };
}
