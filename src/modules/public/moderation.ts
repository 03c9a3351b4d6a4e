/**
 * Moderation of citizen text (先审后发): report descriptions and rating comments are shown on the
 * public portal only once a centre user (public.moderate) approves them. Banned words and
 * personal data (phone or ID numbers) flag an item so it is taken first.
 */
import { type Kysely, sql } from 'kysely';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import { pageInfo } from '../../platform/http/paging.js';
import { audit } from '../audit/service.js';

const PHONE = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/;
const ID_CARD = /(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])/;

export async function flagsOf(db: Kysely<Database>, body: string): Promise<string[]> {
  const lower = body.toLowerCase();
  const words = await db.selectFrom('public_banned_words').select('word').execute();
  const flags = words.filter((w) => lower.includes(w.word.toLowerCase())).map((w) => `banned:${w.word}`);
  if (PHONE.test(body)) flags.push('personal_data:phone');
  if (ID_CARD.test(body)) flags.push('personal_data:id_card');
  return flags;
}

export async function enqueueText(
  db: Kysely<Database>,
  item: { caseId: number; kind: 'description' | 'comment'; body: string },
): Promise<void> {
  await db
    .insertInto('public_moderation')
    .values({ case_id: item.caseId, kind: item.kind, body: item.body, flags: await flagsOf(db, item.body) })
    .execute();
}

export async function listModeration(
  ctx: Ctx,
  q: { state: 'pending' | 'approved' | 'rejected'; limit: number; offset: number },
) {
  requirePermission(ctx.actor, 'public.moderate');
  const filtered = ctx.db
    .selectFrom('public_moderation as m')
    .innerJoin('cases as c', 'c.id', 'm.case_id')
    .where('m.state', '=', q.state)
    .where('c.grid_code', 'like', `${ctx.actor.scopePrefix}%`);
  const [rows, count] = await Promise.all([
    filtered
      .select([
        'm.id',
        'm.kind',
        'm.body',
        'm.state',
        'm.flags',
        'm.reason',
        'm.created_at',
        'm.decided_at',
        'c.id as case_id',
        'c.number',
        'c.district_code',
      ])
      // Flagged items first, then oldest first.
      .orderBy(sql`cardinality(m.flags) > 0`, 'desc')
      .orderBy('m.created_at')
      .orderBy('m.id')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    ...pageInfo(Number(count.n), q.limit, q.offset),
    items: rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      body: r.body,
      state: r.state,
      flags: r.flags,
      reason: r.reason,
      createdAt: r.created_at.toISOString(),
      decidedAt: r.decided_at?.toISOString() ?? null,
      case: { id: r.case_id, number: r.number, districtCode: r.district_code },
    })),
  };
}

export async function decideModeration(
  ctx: Ctx,
  id: number,
  input: { decision: 'approve' | 'reject'; reason?: string | undefined; publishPhotos: boolean },
) {
  requirePermission(ctx.actor, 'public.moderate');
  return ctx.db.transaction().execute(async (trx) => {
    const item = await trx
      .selectFrom('public_moderation as m')
      .innerJoin('cases as c', 'c.id', 'm.case_id')
      .select(['m.id', 'm.case_id', 'm.kind', 'm.state', 'c.number', 'c.grid_code'])
      .where('m.id', '=', String(id))
      .forUpdate('m')
      .executeTakeFirst();
    // Out of the moderator's area answers like a missing item.
    if (!item) throw notFound('moderation item');
    if (!item.grid_code.startsWith(ctx.actor.scopePrefix)) throw notFound('moderation item');
    if (item.state !== 'pending') {
      throw new AppError('PUBLIC_MODERATION_DECIDED', { details: { state: item.state } });
    }
    const state = input.decision === 'approve' ? 'approved' : 'rejected';
    await trx
      .updateTable('public_moderation')
      .set({ state, decided_by: ctx.actor.userId, decided_at: new Date(), reason: input.reason ?? null })
      .where('id', '=', item.id)
      .execute();
    let photos = 0;
    if (state === 'approved' && input.publishPhotos && item.kind === 'description') {
      // The citizen's own photos of the report (already stripped of metadata at upload).
      const published = await sql`
        INSERT INTO public_photos (case_id, sha256)
        SELECT p.case_id, p.sha256 FROM case_photos p JOIN public_uploads u ON u.sha256 = p.sha256
        WHERE p.case_id = ${item.case_id} AND p.phase = 'before'
        ON CONFLICT DO NOTHING`.execute(trx);
      photos = Number(published.numAffectedRows ?? 0);
    }
    await audit(
      { ...ctx, db: trx },
      {
        action: `public.moderation_${state}`,
        target: `case:${item.number}`,
        details: { item: Number(item.id), kind: item.kind, photos },
      },
    );
    return { id: Number(item.id), state, publishedPhotos: photos };
  });
}

/** Whether citizen text of a case may be shown publicly (approved). */
export async function approvedText(db: Kysely<Database>, caseIds: number[]) {
  if (caseIds.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('public_moderation')
    .select(['case_id', 'kind', 'body'])
    .where('case_id', 'in', caseIds)
    .where('state', '=', 'approved')
    .execute();
  return new Map(rows.map((r) => [`${r.case_id}:${r.kind}`, r.body]));
}
