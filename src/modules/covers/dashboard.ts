/**
 * The 井盖 dashboard (cover type × owner: open, overdue, average repair time, repeat covers)
 * and the covers on the map coloured by state. The sums are the pure domain's
 * (emergency.ts dashboard) over the flows in scope, each with the limits it began under.
 */
import {
  COVER_STATES,
  COVER_TYPE_LABELS,
  type CoverLimits,
  dashboard,
  type EmergencyStep,
} from '../../domain/covers/emergency.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { coverRows, flowsForDashboard, limitsInForce } from './repo.js';

const DAY = 86_400_000;
const DEFAULT_PERIOD_DAYS = 30;

export async function coverDashboard(ctx: Ctx, q: { from?: string | undefined; to?: string | undefined }) {
  requirePermission(ctx.actor, 'component.read');
  const now = new Date();
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY);
  if (!(from < to)) throw new AppError('VALIDATION_FAILED', { details: { from: q.from, to: q.to } });
  const current = await limitsInForce(ctx.db);
  const rows = await flowsForDashboard(ctx.db, ctx.actor.scopePrefix, from, to);
  const versions = new Map<number, CoverLimits>();
  for (const id of new Set(rows.map((r) => r.limits_id))) versions.set(id, await limitsInForce(ctx.db, id));
  const owners = new Map(rows.map((r) => [r.owner_department_code, r.owner_name]));
  const cells = dashboard(
    rows.map((r) => {
      const steps: Array<[EmergencyStep, Date | null]> = [
        ['barrier', r.barrier_at],
        ['temporary_cover', r.temporary_cover_at],
        ['repair', r.repair_at],
        ['check', r.check_at],
      ];
      return {
        coverId: r.component_id,
        type: r.cover_type,
        owner: r.owner_department_code,
        limits: versions.get(r.limits_id) as CoverLimits,
        flow: {
          noticedAt: r.noticed_at,
          steps: steps.flatMap(([step, at]) => (at ? [{ step, at, photos: ['stored'] }] : [])),
          exception: r.exception_reason ? { reason: r.exception_reason } : null,
        },
      };
    }),
    current,
    now,
    current.repeatWindowDays,
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    repeatWindowDays: current.repeatWindowDays,
    flows: rows.length,
    cells: cells.map((c) => ({
      ...c,
      typeLabel: COVER_TYPE_LABELS[c.type],
      ownerName: owners.get(c.owner) ?? c.owner,
    })),
    totals: {
      open: cells.reduce((a, c) => a + c.open, 0),
      overdue: cells.reduce((a, c) => a + c.overdue, 0),
      repeatCovers: cells.reduce((a, c) => a + c.repeatCovers, 0),
    },
  };
}

/** Covers as GeoJSON points with their state (normal, open, made safe, overdue) for the map. */
export async function coverMap(ctx: Ctx, q: { bbox?: string | undefined; limit: number }) {
  requirePermission(ctx.actor, 'component.read');
  const bbox = q.bbox ? (q.bbox.split(',').map(Number) as [number, number, number, number]) : undefined;
  const { rows, total } = await coverRows(
    ctx.db,
    { scopePrefix: ctx.actor.scopePrefix, bbox },
    { limit: q.limit, offset: 0, alertsFirst: true },
  );
  const counts = Object.fromEntries(COVER_STATES.map((s) => [s, 0]));
  for (const r of rows) counts[r.state] = (counts[r.state] ?? 0) + 1;
  return {
    type: 'FeatureCollection' as const,
    total,
    truncated: total > rows.length,
    counts,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [r.lng, r.lat] },
      properties: {
        componentId: r.component_id,
        name: r.component_name,
        type: r.cover_type,
        owner: r.owner_name,
        state: r.state,
        caseId: r.open_case_id,
        caseNumber: r.open_case_number,
      },
    })),
  };
}
