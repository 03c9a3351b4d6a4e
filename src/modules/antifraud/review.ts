/**
 * The review queue of anti-fraud flags (信息采集质量): the centre reads each suspicion with its
 * evidence and the report behind it, and confirms it (fraud: it counts in the reporter's
 * collection company's evaluation) or dismisses it, with a reason either way. A flag is
 * reviewed once; the reader sees the flags of the reports he may see.
 */
import { type Kysely, sql } from 'kysely';
import { FLAG_KINDS, FLAG_LABELS } from '../../domain/antifraud/types.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { visibleTo } from '../cases/repo.js';
import type { FlagsQuery, ReviewBody } from './schema.js';

function flagQuery(db: Kysely<Database>, ctx: Ctx) {
  return db
    .selectFrom('fraud_flags as f')
    .innerJoin('cases as c', 'c.id', 'f.case_id')
    .innerJoin('categories as k', 'k.id', 'c.category_id')
    .innerJoin('users as u', 'u.id', 'f.reporter_id')
    .leftJoin('cases as rc', 'rc.id', 'f.related_case_id')
    .leftJoin('users as rv', 'rv.id', 'f.reviewed_by')
    .leftJoin('collection_team_members as tm', 'tm.user_id', 'f.reporter_id')
    .leftJoin('collection_teams as t', 't.code', 'tm.team_code')
    .leftJoin('collection_companies as co', 'co.code', 't.company_code')
    .select([
      'f.id',
      'f.kind',
      'f.status',
      'f.evidence',
      'f.reason',
      'f.reviewed_at',
      'f.reported_at',
      'f.detected_at',
      'c.id as case_id',
      'c.number as case_number',
      'c.address',
      'c.grid_code',
      'k.name as category_name',
      'u.id as reporter_id',
      'u.username as reporter_username',
      'u.display_name as reporter_name',
      'rc.id as related_id',
      'rc.number as related_number',
      'rv.display_name as reviewer_name',
      't.code as team_code',
      't.name as team_name',
      'co.code as company_code',
      'co.name as company_name',
    ])
    .select(sql<number>`ST_X(c.location)`.as('lng'))
    .select(sql<number>`ST_Y(c.location)`.as('lat'))
    .select((eb) =>
      eb
        .selectFrom('case_photos as p')
        .select(sql<string[]>`coalesce(array_agg(p.sha256 ORDER BY p.sha256), '{}')`.as('photos'))
        .whereRef('p.case_id', '=', 'c.id')
        .where('p.phase', '=', 'before')
        .as('photos'),
    )
    .where(visibleTo(ctx.actor));
}

type FlagRow = Awaited<ReturnType<ReturnType<typeof flagQuery>['executeTakeFirstOrThrow']>>;

function present(r: FlagRow) {
  return {
    id: Number(r.id),
    kind: r.kind,
    label: FLAG_LABELS[r.kind],
    status: r.status,
    evidence: r.evidence,
    reason: r.reason,
    reviewedBy: r.reviewer_name,
    reviewedAt: r.reviewed_at?.toISOString() ?? null,
    detectedAt: r.detected_at.toISOString(),
    case: {
      id: r.case_id,
      number: r.case_number,
      reportedAt: r.reported_at.toISOString(),
      address: r.address,
      gridCode: r.grid_code,
      category: r.category_name,
      lng: r.lng,
      lat: r.lat,
      photos: (r.photos ?? []).map((sha) => `/api/v1/media/${sha}`),
    },
    related: r.related_id === null ? null : { id: r.related_id, number: r.related_number },
    reporter: {
      id: r.reporter_id,
      username: r.reporter_username,
      name: r.reporter_name,
      team: r.team_code ? { code: r.team_code, name: r.team_name } : null,
      company: r.company_code ? { code: r.company_code, name: r.company_name } : null,
    },
  };
}

export async function listFlags(ctx: Ctx, q: FlagsQuery) {
  requirePermission(ctx.actor, 'antifraud.review');
  let query = flagQuery(ctx.db, ctx);
  if (q.status !== 'all') query = query.where('f.status', '=', q.status);
  if (q.kind) query = query.where('f.kind', '=', q.kind);
  if (q.reporterId) query = query.where('f.reporter_id', '=', q.reporterId);
  if (q.from) query = query.where('f.reported_at', '>=', new Date(q.from));
  if (q.to) query = query.where('f.reported_at', '<', new Date(q.to));
  if (q.from && q.to && Date.parse(q.from) >= Date.parse(q.to)) {
    throw new AppError('VALIDATION_FAILED', { details: { from: q.from, to: q.to } });
  }
  const [rows, counts] = await Promise.all([
    query.orderBy('f.detected_at').orderBy('f.id').limit(q.limit).offset(q.offset).execute(),
    ctx.db
      .selectFrom('fraud_flags as f')
      .innerJoin('cases as c', 'c.id', 'f.case_id')
      .select(['f.kind', 'f.status', (eb) => eb.fn.countAll<string>().as('n')])
      .where(visibleTo(ctx.actor))
      .groupBy(['f.kind', 'f.status'])
      .execute(),
  ]);
  const summary = FLAG_KINDS.map((kind) => ({
    kind,
    label: FLAG_LABELS[kind],
    open: Number(counts.find((c) => c.kind === kind && c.status === 'open')?.n ?? 0),
    confirmed: Number(counts.find((c) => c.kind === kind && c.status === 'confirmed')?.n ?? 0),
    dismissed: Number(counts.find((c) => c.kind === kind && c.status === 'dismissed')?.n ?? 0),
  }));
  return { items: rows.map(present), summary, limit: q.limit, offset: q.offset };
}

export async function getFlag(ctx: Ctx, id: number) {
  requirePermission(ctx.actor, 'antifraud.review');
  const row = await flagQuery(ctx.db, ctx).where('f.id', '=', String(id)).executeTakeFirst();
  if (!row) throw notFound('fraud_flag');
  return present(row);
}

/** Confirms or dismisses an open flag; a flag already reviewed is a 409 and stays as it was. */
export async function reviewFlag(ctx: Ctx, id: number, body: ReviewBody) {
  requirePermission(ctx.actor, 'antifraud.review');
  return ctx.db.transaction().execute(async (trx) => {
    const seen = await flagQuery(trx, ctx).where('f.id', '=', String(id)).executeTakeFirst();
    if (!seen) throw notFound('fraud_flag');
    const status = body.decision === 'confirm' ? 'confirmed' : 'dismissed';
    const updated = await trx
      .updateTable('fraud_flags')
      .set({ status, reason: body.reason, reviewed_by: ctx.actor.userId, reviewed_at: new Date() })
      .where('id', '=', String(id))
      .where('status', '=', 'open')
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new AppError('FRAUD_FLAG_REVIEWED', { details: { id, status: seen.status } });
    await audit(
      { ...ctx, db: trx },
      {
        action: `antifraud.${body.decision}`,
        target: `fraud_flag:${id}`,
        details: { kind: seen.kind, caseId: seen.case_id, reason: body.reason },
      },
    );
    const row = await flagQuery(trx, ctx).where('f.id', '=', String(id)).executeTakeFirstOrThrow();
    return present(row);
  });
}
