/**
 * Grid heat for the command map: case counts per unit grid, as a small JSON object the console
 * joins onto the grid (and community) polygons it already draws from vector tiles. 3,000–30,000
 * grids make at most a few hundred kB of `{code: n}`, and only grids with cases are listed.
 */
import { sql } from 'kysely';
import { TERMINAL_STATES } from '../../domain/workflow/states.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { visibleTo } from '../cases/repo.js';
import { caseFilter } from './layers.js';
import type { HeatQuery } from './schema.js';

export interface GridHeat {
  /** `open`: cases open now; `reported`: cases reported in [from, to). */
  measure: 'open' | 'reported';
  from: string | null;
  to: string | null;
  total: number;
  max: number;
  counts: Record<string, number>;
}

export async function gridHeat(ctx: Ctx, q: HeatQuery): Promise<GridHeat> {
  requirePermission(ctx.actor, 'map.read');
  requirePermission(ctx.actor, 'case.read');
  const { from, to, ...filters } = q;
  let query = ctx.db
    .selectFrom('cases as c')
    .select(['c.grid_code as code', sql<number>`count(*)::int`.as('n')])
    .where(visibleTo(ctx.actor))
    .where(caseFilter(filters))
    .groupBy('c.grid_code');
  query =
    from && to
      ? query.where('c.reported_at', '>=', new Date(from)).where('c.reported_at', '<', new Date(to))
      : query.where('c.state', 'not in', [...TERMINAL_STATES]);
  const rows = await query.orderBy('c.grid_code').execute();
  const counts: Record<string, number> = {};
  let total = 0;
  let max = 0;
  for (const r of rows) {
    const n = Number(r.n);
    counts[r.code] = n;
    total += n;
    max = Math.max(max, n);
  }
  return {
    measure: from ? 'reported' : 'open',
    from: from ? new Date(from).toISOString() : null,
    to: to ? new Date(to).toISOString() : null,
    total,
    max,
    counts,
  };
}
