import { divisionLevelOf } from '../../domain/codes.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { type AuditEntry, type AuditQuery, appendAudit, countAudit, listAudit } from './repo.js';

/** Records a write made by the current actor (same transaction: pass the trx as ctx.db). */
export function audit(ctx: Ctx, entry: Omit<AuditEntry, 'actorId' | 'actorName'>): Promise<void> {
  return appendAudit(ctx.db, ctx.meta, {
    ...entry,
    // The command-line operator has no user row.
    actorId: ctx.actor.userId > 0 ? ctx.actor.userId : null,
    actorName: ctx.actor.username,
  });
}

export async function readAuditLog(ctx: Ctx, q: AuditQuery) {
  requirePermission(ctx.actor, 'audit.read');
  // A city-level admin reads the whole log; a district admin only what its own users did
  // (failed logins of unknown names have no actor and stay with the city).
  const cityWide = ctx.actor.scopePrefix === '' || divisionLevelOf(ctx.actor.divisionCode ?? '') === 'city';
  const scoped = { ...q, actorScopePrefix: cityWide ? null : ctx.actor.scopePrefix };
  const [rows, total] = await Promise.all([listAudit(ctx.db, scoped), countAudit(ctx.db, scoped)]);
  return {
    /** Entries matching the filters on every page together (the page is `limit` before `beforeId`). */
    total,
    items: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      target: r.target,
      outcome: r.outcome,
      ip: r.ip,
      requestId: r.request_id,
      details: r.details as Record<string, unknown>,
    })),
    nextBeforeId: rows.length === q.limit ? rows.at(-1)?.id : undefined,
  };
}
