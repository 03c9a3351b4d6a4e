/** The command map's filters and the query string they make for the cases tiles and the heat. */
import { CASE_STATES, TERMINAL_STATES } from '../../../../src/domain/workflow/states';

export const OPEN_STATES = CASE_STATES.filter((s) => !TERMINAL_STATES.includes(s));
export const LIGHTS = ['red', 'yellow', 'green', 'none'] as const;
export const SOURCES = [
  'supervisor',
  'public',
  'hotline_12345',
  'video_ai',
  'iot',
  'leader',
  'media',
  'open311',
] as const;

export interface CommandFilters {
  /** Cascader path: kind, then 大类, then 小类. */
  category?: string[];
  /** Cascader path of division codes: district, street, community. */
  area?: string[];
  state?: string[];
  light?: string[];
  source?: string[];
}

/** The server's filter parameters (src/modules/map/schema.ts caseFilterShape), URL-encoded. */
export function filterQuery(f: CommandFilters): string {
  const q = new URLSearchParams();
  const [kind, ...codes] = f.category ?? [];
  if (kind) q.set('kind', kind);
  if (codes.length) q.set('categoryCode', codes.at(-1)!);
  if (f.area?.length) q.set('areaCode', f.area.at(-1)!);
  for (const key of ['state', 'light', 'source'] as const) {
    const list = f[key];
    if (list?.length) q.set(key, [...list].sort().join(','));
  }
  return q.toString();
}

/** The tile query: the filters plus a cache-busting `rev` once the live feed reported changes. */
export function tileQuery(filters: string, rev: string | null): string {
  if (!rev) return filters;
  return filters ? `${filters}&rev=${rev}` : `rev=${rev}`;
}
