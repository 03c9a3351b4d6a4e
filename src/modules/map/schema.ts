import { z } from 'zod';
import { CASE_STATES, TERMINAL_STATES } from '../../domain/workflow/states.js';
import { queryInt } from '../../platform/http/ids.js';
import { SOURCES } from '../cases/schema.js';

const DECIMAL = '-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)';

/** Path parameters of a tile; ranges are checked by the service for a precise message. */
export const tileParams = z.strictObject({
  layer: z.string().max(40),
  z: z.string().max(10),
  x: z.string().max(10),
  y: z.string().max(10),
});

export const geojsonParams = z.strictObject({ layer: z.string().max(40) });

export const geojsonQuery = z.strictObject({
  bbox: z
    .string()
    .regex(new RegExp(`^${DECIMAL},${DECIMAL},${DECIMAL},${DECIMAL}$`), 'west,south,east,north')
    .transform((s) => s.split(',').map(Number) as [number, number, number, number])
    .refine(
      ([w, s, e, n]) => w >= -180 && e <= 180 && s >= -90 && n <= 90 && w <= e && s <= n,
      'west ≤ east and south ≤ north, in WGS84 degrees',
    )
    .optional(),
  limit: queryInt(1, 5000).default(1000),
});

// Body coordinates are JSON numbers: coercion would turn null or "" into 0.
const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
export const locateBody = z.strictObject({ points: z.array(position).min(1).max(1000) });

/** Open (non-terminal) states: the cases layer shows the live picture only. */
export const OPEN_STATES = CASE_STATES.filter((s) => !TERMINAL_STATES.includes(s));
/** Light filter values; `none` = no running time limit (no light yet). */
export const LIGHT_FILTERS = ['green', 'yellow', 'red', 'none'] as const;

/** A comma-separated list of allowed values, deduplicated and sorted (one cache key per filter). */
function commaList<T extends string>(values: readonly T[]) {
  return z
    .string()
    .max(400)
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(values as [T, ...T[]])).min(1))
    .transform((a) => [...new Set(a)].sort());
}

/**
 * Filters of the case layers (tiles and heat). Codes are prefixes: a 大类 (2 digits) takes all
 * its 小类 and 细类; an area code (district 6, street 9, community 12, grid 15 digits) takes
 * everything under it.
 */
export const caseFilterShape = {
  kind: z.enum(['component', 'event']).optional(),
  categoryCode: z
    .string()
    .regex(/^[0-9]{2,7}$/, 'a category code (大类 2 digits, 小类 4–5, 细类 6–7)')
    .optional(),
  areaCode: z
    .string()
    .regex(/^[0-9]{6}(?:[0-9]{3}){0,3}$/, 'a division or grid code (6, 9, 12 or 15 digits)')
    .optional(),
  state: commaList(OPEN_STATES).optional(),
  light: commaList(LIGHT_FILTERS).optional(),
  source: commaList(SOURCES).optional(),
};
const caseFilters = z.strictObject(caseFilterShape);
export type CaseFilters = z.infer<typeof caseFilters>;

/**
 * Tile query: the case filters (cases layer only; other layers refuse them) and `rev`, a
 * cache-busting token the console bumps when the live feed says cases changed.
 */
export const tileQuery = z.strictObject({
  ...caseFilterShape,
  rev: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - or _, at most 32')
    .optional(),
});
export type TileQuery = z.infer<typeof tileQuery>;

/** Grid heat: open cases now (no range) or cases reported in [from, to), per grid. */
export const heatQuery = z
  .strictObject({
    ...caseFilterShape,
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), {
    message: 'from and to go together',
    path: ['to'],
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['to'],
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    message: 'at most 366 days',
    path: ['to'],
  });
export type HeatQuery = z.infer<typeof heatQuery>;
