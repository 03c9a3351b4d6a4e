/**
 * Deterministic demo city around Chengdu's core: 3 districts, 12 streets, 24–36
 * communities, 3,000 unit grids of ≈100 m × 100 m, departments, the named demo logins and
 * the demo staff (a supervisor per community, centre posts per district).
 */
import { formatGridCode } from '../codes.js';
import {
  areaClassOf,
  CELL_LAT7,
  CELL_LNG7,
  type Cell,
  COLS,
  cellRing,
  hilbertOrder,
  ROWS,
} from './lattice.js';
import {
  CITY,
  DISTRICTS,
  MAX_COMMUNITIES_PER_STREET,
  MIN_COMMUNITIES_PER_STREET,
  STREETS_PER_DISTRICT,
} from './names.js';
import { buildDepartments, buildUsers } from './organisation.js';
import { between, mulberry32, type Random, shuffled } from './prng.js';
import type { DemoCity, DemoDivision, DemoGrid } from './types.js';

export { cellAt, cellRing } from './lattice.js';
export {
  CENTRE_STAFF_PER_DISTRICT,
  DEMO_LOGINS,
  DEMO_PASSWORD,
  FIELD_CREWS,
  streetOfficeCode,
  withFieldCrews,
} from './organisation.js';
export type * from './types.js';

export const DEFAULT_DEMO_SEED = 20260701;

/** Lattice geometry, for callers that need to map points to cells without PostGIS. */
export const DEMO_LATTICE = { cols: COLS, rows: ROWS, cellLng7: CELL_LNG7, cellLat7: CELL_LAT7 } as const;

/**
 * Runs are cut at multiples of 4 cells: on the Hilbert curve that keeps most boundaries
 * on 2 × 2 blocks, so communities get fewer one-cell notches.
 */
const CUT_QUANTUM = 4;

interface Run {
  start: number;
  end: number;
}

/** Splits [start, end) into consecutive runs proportional to `weights`. */
function splitRun(run: Run, weights: readonly number[]): Run[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const length = run.end - run.start;
  const runs: Run[] = [];
  let cursor = run.start;
  let cumulative = 0;
  weights.forEach((weight, i) => {
    cumulative += weight;
    const remaining = weights.length - 1 - i;
    const ideal = run.start + (length * cumulative) / total;
    const rounded = Math.round(ideal / CUT_QUANTUM) * CUT_QUANTUM;
    // Every run keeps at least one quantum, and the last one ends exactly at run.end.
    const cut =
      remaining === 0
        ? run.end
        : Math.min(Math.max(rounded, cursor + CUT_QUANTUM), run.end - remaining * CUT_QUANTUM);
    runs.push({ start: cursor, end: cut });
    cursor = cut;
  });
  return runs;
}

function jitteredWeights(
  random: Random,
  count: number,
  spread: number,
  base: readonly number[] = [],
): number[] {
  return Array.from({ length: count }, (_, i) => (base[i] ?? 1) * between(random, 1 - spread, 1 + spread));
}

function gridsOf(communityCode: string, cells: readonly Cell[]): DemoGrid[] {
  // GB/T 30428.1: numbered west→east, north→south, i.e. row by row from the north.
  const sorted = [...cells].sort((a, b) => a.row - b.row || a.col - b.col);
  return sorted.map((cell, i) => ({
    code: formatGridCode(communityCode, i + 1),
    communityCode,
    seq: i + 1,
    ring: cellRing(cell.col, cell.row),
    areaClass: areaClassOf(cell.col, cell.row),
  }));
}

const LEVEL_ORDER = { city: 0, district: 1, street: 2, community: 3 } as const;

export function generateDemoCity(seed: number = DEFAULT_DEMO_SEED): DemoCity {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`Demo city seed must be an integer, got ${seed}`);
  const random = mulberry32(seed);
  const order = hilbertOrder(COLS, ROWS);

  const divisions: DemoDivision[] = [{ code: CITY.code, name: CITY.name, level: 'city', parentCode: null }];
  const grids: DemoGrid[] = [];

  const districtWeights = jitteredWeights(
    random,
    DISTRICTS.length,
    0.08,
    DISTRICTS.map((d) => d.weight),
  );
  const districtRuns = splitRun({ start: 0, end: order.length }, districtWeights);

  DISTRICTS.forEach((district, d) => {
    const districtRun = districtRuns[d] as Run;
    divisions.push({ code: district.code, name: district.name, level: 'district', parentCode: CITY.code });
    const streetNames = shuffled(random, district.streetNames).slice(0, STREETS_PER_DISTRICT);
    const communityNames = shuffled(random, district.communityNames);
    const streetRuns = splitRun(districtRun, jitteredWeights(random, STREETS_PER_DISTRICT, 0.2));

    streetRuns.forEach((streetRun, s) => {
      const streetCode = `${district.code}${String(s + 1).padStart(3, '0')}`;
      divisions.push({
        code: streetCode,
        name: streetNames[s] as string,
        level: 'street',
        parentCode: district.code,
      });
      const communityCount =
        MIN_COMMUNITIES_PER_STREET +
        Math.floor(random() * (MAX_COMMUNITIES_PER_STREET - MIN_COMMUNITIES_PER_STREET + 1));
      const communityRuns = splitRun(streetRun, jitteredWeights(random, communityCount, 0.25));

      communityRuns.forEach((communityRun, c) => {
        const communityCode = `${streetCode}${String(c + 1).padStart(3, '0')}`;
        const name = communityNames.shift();
        if (name === undefined) throw new Error(`name pool of ${district.name} is too small`);
        divisions.push({ code: communityCode, name, level: 'community', parentCode: streetCode });
        grids.push(...gridsOf(communityCode, order.slice(communityRun.start, communityRun.end)));
      });
    });
  });

  // Parents before children (handy for inserts), then by code.
  divisions.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.code.localeCompare(b.code));
  grids.sort((a, b) => a.code.localeCompare(b.code));

  return {
    seed,
    divisions,
    grids,
    departments: buildDepartments(divisions),
    // Names from a stream of their own: staff changes never move the layout.
    users: buildUsers(divisions, grids, mulberry32(seed ^ 0x2f6b_1d3c)),
  };
}
