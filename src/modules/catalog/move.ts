/**
 * Moving a city's cases to the other code scheme (迁移案卷): preview what maps where and what is
 * ambiguous, the admin resolves, then apply. A moved case gets the new class; its log keeps the
 * original one (a 备注 event naming both), its standards version stays the one it was filed under.
 */
import { type Kysely, sql } from 'kysely';
import {
  type ClassRef,
  type MoveScope,
  type MoveSource,
  moveStatus,
  planMove,
  type Resolution,
  type Scheme,
} from '../../domain/catalog/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { transact } from '../../platform/db/after-commit.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { clearEvaluationCache } from '../evaluation/cache.js';
import { projectLatestEvents } from '../evaluation/facts/store.js';
import { announceCaseChange } from '../live/notify.js';
import type { CategoryRow } from './repo.js';

type Db = Kysely<Database>;

const ref = (c: CategoryRow): ClassRef => ({
  id: c.id,
  scheme: c.scheme,
  kind: c.kind,
  level: c.level,
  code: c.code,
  name: c.name,
});

interface Facts {
  sources: MoveSource[];
  notes: Map<number, string>;
  /** Classes a resolution may name: active 小类 / 细类 of the target scheme. */
  choices: Map<number, ClassRef>;
}

async function moveFacts(db: Db, to: Scheme, scope: MoveScope): Promise<Facts> {
  let counts = db
    .selectFrom('cases as c')
    .innerJoin('categories as k', 'k.id', 'c.category_id')
    .select(['k.id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('k.scheme', '<>', to)
    .groupBy('k.id');
  if (scope === 'open') counts = counts.where('c.closed_at', 'is', null);
  const [rows, categories, pairs, gaps] = await Promise.all([
    counts.execute(),
    db.selectFrom('categories').selectAll().execute(),
    db.selectFrom('category_mappings').select(['from_id', 'to_id']).execute(),
    db.selectFrom('category_unmapped').select(['category_id', 'note']).execute(),
  ]);
  const byId = new Map(categories.map((c) => [c.id, c]));
  const partners = new Map<number, number[]>();
  const link = (a: number, b: number) => partners.set(a, [...(partners.get(a) ?? []), b]);
  for (const p of pairs) {
    link(p.from_id, p.to_id);
    link(p.to_id, p.from_id);
  }
  const inTarget = (id: number) => {
    const c = byId.get(id);
    return c && c.scheme === to && c.active && c.level !== 'major' ? [c] : [];
  };
  const targetsOf = (id: number) =>
    [...new Map((partners.get(id) ?? []).flatMap(inTarget).map((c) => [c.id, c])).values()].sort((a, b) =>
      a.code.localeCompare(b.code),
    );
  const sources: MoveSource[] = [];
  for (const r of rows) {
    const c = byId.get(r.id);
    if (!c) continue;
    let targets = targetsOf(c.id);
    let via: CategoryRow | null = null;
    // A 细类 without its own counterpart goes where its 小类 goes.
    if (targets.length === 0 && c.level === 'detail' && c.parent_id) {
      via = byId.get(c.parent_id) ?? null;
      targets = via ? targetsOf(via.id) : [];
    }
    // A retired placeholder code stood for one 30428.2 class: it goes where that class goes.
    if (targets.length === 0 && c.scheme === 'gbt47678p') {
      for (const p of partners.get(c.id) ?? []) {
        const partner = byId.get(p);
        if (partner?.scheme !== 'gbt30428') continue;
        via = partner;
        targets = targetsOf(partner.id);
        break;
      }
    }
    sources.push({
      category: ref(c),
      cases: Number(r.n),
      targets: targets.map(ref),
      via: via ? ref(via) : null,
    });
  }
  sources.sort(
    (a, b) =>
      a.category.kind.localeCompare(b.category.kind) || a.category.code.localeCompare(b.category.code),
  );
  const notes = new Map(gaps.map((g) => [g.category_id, g.note]));
  const choices = new Map(
    categories.filter((c) => c.scheme === to && c.active && c.level !== 'major').map((c) => [c.id, ref(c)]),
  );
  return { sources, notes, choices };
}

export async function previewMove(ctx: Ctx, q: { to: Scheme; scope: MoveScope }) {
  requirePermission(ctx.actor, 'catalog.write');
  const { sources, notes } = await moveFacts(ctx.db, q.to, q.scope);
  const items = sources.map((s) => ({
    ...s,
    status: moveStatus(s.targets),
    note: notes.get(s.category.id) ?? (s.via ? (notes.get(s.via.id) ?? null) : null),
  }));
  const total = (status?: string) =>
    items.filter((i) => !status || i.status === status).reduce((n, i) => n + i.cases, 0);
  return {
    to: q.to,
    scope: q.scope,
    summary: {
      classes: items.length,
      cases: total(),
      mapped: total('mapped'),
      ambiguous: total('ambiguous'),
      unmapped: total('unmapped'),
    },
    items,
  };
}

/**
 * Applies a move in one transaction: every source class needs a target (its only counterpart,
 * or the admin's choice) or an explicit keep; otherwise nothing moves (400). `expectCases` (the
 * preview's total) guards against cases filed meanwhile: 409 when it no longer holds.
 */
export async function applyMove(
  ctx: Ctx,
  input: { to: Scheme; scope: MoveScope; resolutions: Resolution[]; expectCases?: number | undefined },
) {
  requirePermission(ctx.actor, 'catalog.write');
  return transact(ctx.db, async (trx) => {
    // One move at a time; case transitions wait on the rows this one updates.
    await sql`SELECT pg_advisory_xact_lock(hashtext('cityloop.catalog_move'))`.execute(trx);
    const facts = await moveFacts(trx, input.to, input.scope);
    const total = facts.sources.reduce((n, s) => n + s.cases, 0);
    if (input.expectCases !== undefined && input.expectCases !== total) {
      throw new AppError('CATALOG_MOVE_CHANGED', { details: { expected: input.expectCases, now: total } });
    }
    const plan = planMove(facts.sources, input.resolutions, facts.choices);
    if (!plan.ok) {
      throw new AppError('CATALOG_MOVE_UNRESOLVED', {
        details: {
          problems: plan.problems.map((p) => ({
            categoryId: p.categoryId,
            code: p.code,
            message: p.message,
          })),
        },
      });
    }
    const moving = plan.assignments.filter((a) => a.target !== null);
    const sourceIds = moving.map((a) => a.source.id);
    const targetIds = moving.map((a) => a.target?.id ?? 0);
    let moved = 0;
    if (moving.length > 0) {
      const openOnly = input.scope === 'open';
      const reason = sql`'类别调整（编码体系迁移）：' || f.code || ' ' || f.name || ' → ' || t.code || ' ' || t.name`;
      const result = await sql<{ id: number; number: string }>`
        WITH plan AS (
          SELECT * FROM unnest(${sourceIds}::int[], ${targetIds}::int[]) AS p (source_id, target_id)
        ), moved AS (
          UPDATE cases c SET category_id = plan.target_id, last_seq = c.last_seq + 1,
                 version = c.version + 1, updated_at = now()
          FROM plan
          WHERE c.category_id = plan.source_id AND (${!openOnly}::boolean OR c.closed_at IS NULL)
          RETURNING c.id, c.last_seq, c.state, plan.source_id, plan.target_id
        ), logged AS (
          INSERT INTO case_events (case_id, seq, action, actor_id, actor_role, from_state, to_state, reason, payload, at)
          SELECT m.id, m.last_seq, 'note', ${ctx.actor.userId > 0 ? ctx.actor.userId : null}::int, ${ctx.actor.role},
                 m.state, m.state, ${reason},
                 jsonb_build_object('recategorized', jsonb_build_object(
                   'from', jsonb_build_object('id', f.id, 'scheme', f.scheme, 'code', f.code, 'name', f.name),
                   'to', jsonb_build_object('id', t.id, 'scheme', t.scheme, 'code', t.code, 'name', t.name))),
                 now()
          FROM moved m JOIN categories f ON f.id = m.source_id JOIN categories t ON t.id = m.target_id
          RETURNING case_id
        )
        SELECT l.case_id AS id, c.number FROM logged l JOIN cases c ON c.id = l.case_id`.execute(trx);
      moved = result.rows.length;
      // Live views hear of a small move case by case (as the 0025 trigger announced up to 100
      // events of a statement); a larger one they see at their next periodic refresh.
      if (moved <= 100) {
        for (const r of result.rows) announceCaseChange(trx, { id: r.id, number: r.number, action: 'note' });
      }
      // The evaluation facts take the note and the new category (issue 12).
      await projectLatestEvents(
        trx,
        result.rows.map((r) => r.id),
      );
    }
    await clearEvaluationCache(trx);
    const classes = plan.assignments.map((a) => ({
      from: { id: a.source.id, scheme: a.source.scheme, code: a.source.code, name: a.source.name },
      to: a.target ? { id: a.target.id, code: a.target.code, name: a.target.name } : null,
      cases: a.cases,
    }));
    const kept = plan.assignments.filter((a) => a.target === null).reduce((n, a) => n + a.cases, 0);
    await audit(
      { ...ctx, db: trx },
      {
        action: 'catalog.case.move',
        target: `scheme:${input.to}`,
        details: {
          scope: input.scope,
          moved,
          kept,
          classes: classes.map((c) => [c.from.code, c.to?.code ?? null, c.cases]),
        },
      },
    );
    return { to: input.to, scope: input.scope, moved, kept, classes };
  });
}
