/**
 * Reads the features of a grid file (GeoJSON or a shapefile's records, already as GeoJSON)
 * into import candidates, reporting every structural problem rather than stopping at the first.
 */
import { validateGridCode } from '../codes.js';
import type { AreaClass } from '../demo-city/types.js';
import { crsInfo, type Extent, extentOf, guessCrs, insideExtent, validExtent } from './crs.js';
import { type GridProblemDraft, gridProblem } from './problems.js';

export interface GridCandidate {
  feature: number;
  code: string | null;
  communityCode: string | null;
  seq: number | null;
  areaClass: AreaClass;
  /** Polygon rings in the file's CRS; null when the geometry is structurally unusable. */
  rings: number[][][] | null;
  /** A position of the feature (file CRS) to place problems at, when it has any. */
  anchor: [number, number] | null;
  /** Whether it takes part in the spatial checks (a polygon, a community to group by, first of its code). */
  usable: boolean;
}

export interface ParsedGrids {
  candidates: GridCandidate[];
  problems: GridProblemDraft[];
}

const key = (k: string) => k.toLowerCase().replace(/[^a-z]/g, '');
const CODE_KEYS = new Set(['code', 'gridcode']);
const COMMUNITY_KEYS = new Set(['community', 'communitycode']);
const AREA_CLASS_KEYS = new Set(['areaclass']);

function property(props: Record<string, unknown>, keys: Set<string>): unknown {
  for (const [k, v] of Object.entries(props)) if (keys.has(key(k))) return v;
  return undefined;
}

/** DBF numeric fields arrive as numbers; 15 digits still fit a double exactly. */
function asText(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return null;
}

const isPosition = (p: unknown): p is number[] =>
  Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);

function firstPosition(geometry: unknown): [number, number] | null {
  let node: unknown = (geometry as { coordinates?: unknown } | null)?.coordinates;
  while (Array.isArray(node) && !isPosition(node)) node = node[0];
  return isPosition(node) ? [node[0] as number, node[1] as number] : null;
}

/** Polygon rings (2D) or the reason they are unusable. */
function polygonRings(geometry: unknown): { rings: number[][][] } | { problem: string; type: boolean } {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  let coords = g?.coordinates;
  if (g?.type === 'MultiPolygon' && Array.isArray(coords) && coords.length === 1) coords = coords[0];
  else if (g?.type !== 'Polygon') {
    const type = typeof g?.type === 'string' ? g.type : 'none';
    return { problem: `geometry is ${type}, a grid is one Polygon`, type: true };
  }
  if (!Array.isArray(coords) || coords.length === 0) return { problem: 'polygon has no rings', type: false };
  const rings: number[][][] = [];
  for (const [i, ring] of coords.entries()) {
    if (!Array.isArray(ring) || !ring.every(isPosition)) {
      return { problem: `ring ${i} has a position that is not two numbers`, type: false };
    }
    const positions = ring.map((p) => [p[0] as number, p[1] as number]);
    const first = positions[0];
    const last = positions.at(-1);
    if (positions.length < 4) return { problem: `ring ${i} has fewer than 4 positions`, type: false };
    if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) {
      return { problem: `ring ${i} is not closed`, type: false };
    }
    rings.push(positions);
  }
  return { rings };
}

/** Local GIS data often says 一类/二类/三类 for the area classes A/B/C. */
const CHINESE_AREA_CLASS: Record<string, AreaClass> = { 一类: 'A', 二类: 'B', 三类: 'C' };

function areaClassOf(v: unknown): AreaClass | null {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return 'B';
  const s = typeof v === 'string' ? v.trim().toUpperCase() : '';
  if (s === 'A' || s === 'B' || s === 'C') return s;
  return CHINESE_AREA_CLASS[s] ?? null;
}

/** Candidates and structural problems of a list of GeoJSON features. */
export function parseGridFeatures(features: readonly unknown[]): ParsedGrids {
  const candidates: GridCandidate[] = [];
  const problems: GridProblemDraft[] = [];
  const seen = new Map<string, number>();
  features.forEach((raw, feature) => {
    const f = raw as { type?: unknown; properties?: unknown; geometry?: unknown } | null;
    const props = (f?.properties && typeof f.properties === 'object' ? f.properties : {}) as Record<
      string,
      unknown
    >;
    const code = asText(property(props, CODE_KEYS));
    const givenCommunity = asText(property(props, COMMUNITY_KEYS));
    const communityCode = givenCommunity ?? (code && /^[0-9]{15}$/.test(code) ? code.slice(0, 12) : null);
    const where = { gridCode: code, communityCode, feature };
    const c: GridCandidate = {
      feature,
      code,
      communityCode,
      seq: null,
      areaClass: 'B',
      rings: null,
      anchor: firstPosition(f?.geometry),
      usable: true,
    };
    candidates.push(c);
    const report = (...args: Parameters<typeof gridProblem>) => problems.push(gridProblem(...args));
    if (f?.type !== 'Feature') {
      c.usable = false;
      report('GRID_FEATURE_INVALID', where, { zh: '不是 GeoJSON Feature', en: 'is not a GeoJSON Feature' });
      return;
    }
    if (!code) {
      report('GRID_CODE_MISSING', where, {
        zh: '缺少网格编码属性（code）',
        en: 'has no grid code property (code)',
      });
    } else {
      const verdict = validateGridCode(code, communityCode ?? '');
      if (verdict.ok) c.seq = verdict.seq;
      else report(verdict.code, where, verdict.message, { communityCode });
      const earlier = seen.get(code);
      if (earlier !== undefined) {
        // Only the first feature with a code takes part in the spatial checks.
        c.usable = false;
        report(
          'GRID_CODE_DUPLICATE',
          where,
          {
            zh: `编码在文件中重复（第 ${earlier + 1} 个要素已使用）`,
            en: `code appears more than once in the file (already used by feature #${earlier + 1})`,
          },
          { firstFeature: earlier },
        );
      } else seen.set(code, feature);
    }
    const rawClass = property(props, AREA_CLASS_KEYS);
    const areaClass = areaClassOf(rawClass);
    if (areaClass) c.areaClass = areaClass;
    else {
      const shown = JSON.stringify(rawClass).slice(0, 40);
      report('GRID_AREA_CLASS', where, {
        zh: `区域类别 ${shown} 无效：应为 A、B、C（或 一类、二类、三类）`,
        en: `area class ${shown} is invalid: expected A, B or C (or 一类, 二类, 三类)`,
      });
    }
    const shape = polygonRings(f.geometry);
    if ('rings' in shape) c.rings = shape.rings;
    else {
      c.usable = false;
      report(shape.type ? 'GRID_GEOMETRY_TYPE' : 'GRID_GEOMETRY_INVALID', where, {
        zh: `图形无效：${shape.problem}`,
        en: `invalid geometry: ${shape.problem}`,
      });
    }
  });
  for (const c of candidates) if (!/^[0-9]{12}$/.test(c.communityCode ?? '')) c.usable = false;
  return { candidates, problems };
}

export interface CrsRangeViolation {
  srid: number;
  extent: Extent;
  outside: number;
  sample: { feature: number; gridCode: string | null; position: [number, number] };
  guess: string | null;
}

/** Coordinates that cannot be in the declared CRS (e.g. Gauss-Krüger metres declared as WGS84). */
export function crsRangeViolation(
  srid: number,
  candidates: readonly GridCandidate[],
): CrsRangeViolation | null {
  const allowed = validExtent(srid);
  if (!allowed || !crsInfo(srid)) return null;
  let outside = 0;
  let sample: CrsRangeViolation['sample'] | null = null;
  const all: number[][] = [];
  for (const c of candidates) {
    for (const ring of c.rings ?? []) {
      for (const p of ring) {
        all.push(p);
        if (insideExtent(p, allowed)) continue;
        outside++;
        sample ??= { feature: c.feature, gridCode: c.code, position: [p[0] as number, p[1] as number] };
      }
    }
  }
  const extent = extentOf(all);
  if (!sample || !extent) return null;
  return { srid, extent, outside, sample, guess: guessCrs(extent) };
}
