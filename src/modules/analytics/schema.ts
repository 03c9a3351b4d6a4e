import { z } from 'zod';
import { queryInt } from '../../platform/http/ids.js';
import { caseFilterShape } from '../map/schema.js';

const DAY_MS = 86_400_000;
const instant = z.iso.datetime({ offset: true });

/** Which cases and which lattice: the case filters of the map, and the cell kind. */
const common = {
  kind: caseFilterShape.kind,
  categoryCode: caseFilterShape.categoryCode,
  areaCode: caseFilterShape.areaCode,
  source: caseFilterShape.source,
  unit: z.enum(['hex', 'grid']).default('hex'),
  /** H3 resolution: 8 ≈ 0.74 km² (街道 scale), 9 ≈ 0.105 km², 10 ≈ 0.015 km² (about a unit grid). */
  resolution: queryInt(7, 10).default(9),
  /** Distance band of the grid lattice, metres from a grid's centre. */
  band: queryInt(100, 3000).default(300),
};

export const hotspotQuery = z
  .strictObject({ ...common, from: instant, to: instant })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * DAY_MS, {
    message: 'at most 366 days',
    path: ['to'],
  });
export type HotspotQuery = z.infer<typeof hotspotQuery>;

export const emergingQuery = z.strictObject({
  ...common,
  /** Weeks analysed, the last ending at `to` (default: the start of the current local week). */
  weeks: queryInt(4, 26).default(8),
  to: instant.optional(),
});
export type EmergingQuery = z.infer<typeof emergingQuery>;

export const cellCasesQuery = z
  .strictObject({
    ...common,
    /** An H3 cell index (hex) or a unit grid code (grid). */
    cell: z.string().regex(/^(?:[0-9a-f]{15}|[0-9]{15})$/, 'an H3 index (15 hex digits) or a grid code'),
    from: instant,
    to: instant,
    limit: queryInt(1, 200).default(50),
    offset: queryInt(0, 100_000).default(0),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * DAY_MS, {
    message: 'at most 366 days',
    path: ['to'],
  });
export type CellCasesQuery = z.infer<typeof cellCasesQuery>;
