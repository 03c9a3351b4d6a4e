/**
 * Deterministic demo gazetteer (地名地址库) on the demo city's lattice: a road on every second
 * lattice line (200 m apart, so no point is more than 100 m from a road), door numbers every
 * 40 m (odd on the west/north side, even on the east/south side), places and areas (parks,
 * rivers) for the base map.
 *
 * Every road, door and place belongs to one district and lies in it: each lattice line is cut
 * where the districts on its sides change, and each run takes a real road name of its own
 * district (demo-names.ts), the famous ones on the run nearest to where they really are.
 */
import type { DemoCity } from '../demo-city/index.js';
import {
  COLS,
  cellAt,
  latAt,
  lngAt,
  METRES_PER_DEGREE_LAT,
  METRES_PER_DEGREE_LNG,
  ROWS,
} from '../demo-city/lattice.js';
import type { LngLat } from './crs.js';
import { DISTRICT_ROADS, LANDMARKS, type NamedRoad, POI_KINDS, RIVERS } from './demo-names.js';
import { chineseOrdinal } from './numerals.js';

export type RoadClass = 'main' | 'secondary' | 'minor';

export interface DemoRoad {
  name: string;
  aliases: string[];
  line: LngLat[];
  roadClass: RoadClass;
  /** The district the road lies in (its sides' cells, never another district's). */
  district: string;
}
export interface DemoDoor {
  road: string;
  number: string;
  point: LngLat;
}
export interface DemoPoi {
  name: string;
  aliases: string[];
  category: string;
  point: LngLat;
  address: string;
  district: string;
}
export type DemoAreaGeometry =
  | { type: 'Polygon'; coordinates: LngLat[][] }
  | { type: 'LineString'; coordinates: LngLat[] };
export interface DemoArea {
  name: string;
  kind: 'park' | 'water';
  geometry: DemoAreaGeometry;
  /** Parks lie in one district; rivers cross them. */
  district: string | null;
}
export interface DemoGazetteer {
  roads: DemoRoad[];
  doors: DemoDoor[];
  pois: DemoPoi[];
  areas: DemoArea[];
}

/** Road lines every this many cells; main roads every 8, secondary every 4. */
export const ROAD_SPACING_CELLS = 2;
/** Pieces (一段, 二段 …) at most this many cells long. */
const PIECE_CELLS = 20;
/** Shortest run of a main line that is still an arterial, of a main or secondary line a street. */
const MAIN_MIN_CELLS = 8;
const SECONDARY_MIN_CELLS = 4;
const DOOR_STEP_M = 40;
// 15 + 40k is never a multiple of 100: doors never sit on a cross street's lattice line.
const FIRST_DOOR_M = 15;
const DOOR_OFFSET_M = 12;
const POI_OFFSET_M = 40;
/** Parks keep this far from the lattice lines, so the roads around them stay visible. */
const PARK_INSET_M = 15;

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
const pt = (lng: number, lat: number): LngLat => [round7(lng), round7(lat)];

/** District of each lattice cell, from the city's grids (one grid per cell). */
export type DistrictOfCell = (col: number, row: number) => string | undefined;

export function districtsOfCells(city: Pick<DemoCity, 'grids'>): DistrictOfCell {
  const owner = new Map<number, string>();
  for (const g of city.grids) {
    const [sw, , ne] = g.ring;
    if (!sw || !ne) continue;
    const cell = cellAt((sw[0] + ne[0]) / 2, (sw[1] + ne[1]) / 2);
    if (cell) owner.set(cell.row * COLS + cell.col, g.code.slice(0, 6));
  }
  return (col, row) =>
    col < 0 || col >= COLS || row < 0 || row >= ROWS ? undefined : owner.get(row * COLS + col);
}

interface Run {
  vertical: boolean;
  /** Lattice line index (column for vertical runs, row for horizontal ones). */
  line: number;
  from: number;
  to: number;
  district: string;
  roadClass: RoadClass;
}

function lineClass(i: number): RoadClass {
  if (i % (4 * ROAD_SPACING_CELLS) === 0) return 'main';
  if (i % (2 * ROAD_SPACING_CELLS) === 0) return 'secondary';
  return 'minor';
}

/** Cuts every road line into runs that each lie along cells of one district. */
function runs(districtOf: DistrictOfCell): Run[] {
  const out: Run[] = [];
  const cut = (vertical: boolean, line: number, length: number) => {
    // The districts on either side of edge e of the line.
    const sides = (e: number) =>
      new Set(
        (vertical
          ? [districtOf(line - 1, e), districtOf(line, e)]
          : [districtOf(e, line - 1), districtOf(e, line)]
        ).filter((d): d is string => d !== undefined),
      );
    const reach = (d: string, e: number) => {
      let k = e;
      while (k < length && sides(k).has(d)) k++;
      return k - e;
    };
    let current: Run | null = null;
    for (let e = 0; e < length; e++) {
      const here = sides(e);
      if (current && here.has(current.district)) {
        current.to = e + 1;
        continue;
      }
      // On a boundary both districts qualify: take the one that goes on longer.
      const district = [...here].sort((a, b) => reach(b, e) - reach(a, e) || a.localeCompare(b))[0];
      if (district === undefined) continue;
      current = { vertical, line, from: e, to: e + 1, district, roadClass: lineClass(line) };
      out.push(current);
    }
  };
  for (let i = 0; i <= COLS; i += ROAD_SPACING_CELLS) cut(true, i, ROWS);
  for (let j = 0; j <= ROWS; j += ROAD_SPACING_CELLS) cut(false, j, COLS);
  for (const r of out) {
    const cells = r.to - r.from;
    if (r.roadClass === 'main' && cells < MAIN_MIN_CELLS) r.roadClass = 'secondary';
    if (r.roadClass === 'secondary' && cells < SECONDARY_MIN_CELLS) r.roadClass = 'minor';
  }
  return out;
}

const runStart = (r: Run): LngLat =>
  r.vertical ? [lngAt(r.line), latAt(r.from)] : [lngAt(r.from), latAt(r.line)];
const runEnd = (r: Run): LngLat => (r.vertical ? [lngAt(r.line), latAt(r.to)] : [lngAt(r.to), latAt(r.line)]);

/** Metres from a point to a run's line. */
function distanceM(r: Run, [lng, lat]: LngLat): number {
  const [x0, y0] = runStart(r);
  const [x1, y1] = runEnd(r);
  const cx = Math.min(Math.max(lng, Math.min(x0, x1)), Math.max(x0, x1));
  const cy = Math.min(Math.max(lat, Math.min(y0, y1)), Math.max(y0, y1));
  return Math.hypot((lng - cx) * METRES_PER_DEGREE_LNG, (lat - cy) * METRES_PER_DEGREE_LAT);
}

/**
 * Gives the runs of one district and class the names of its pool: anchored names first, each on
 * the nearest free run (along its real direction when one is free), then the rest by run length.
 * Runs left over when the pool runs out drop to the next class.
 */
function assignNames(
  candidates: Run[],
  pool: readonly NamedRoad[],
  names: Map<Run, string>,
  demote: RoadClass,
) {
  const free = new Set(candidates);
  const axisOf = (r: Run) => (r.vertical ? 'ns' : 'ew');
  for (const entry of pool.filter((e) => e.anchor)) {
    const anchor = entry.anchor as LngLat;
    const best = [...free].sort(
      (a, b) =>
        distanceM(a, anchor) +
        (entry.axis && axisOf(a) !== entry.axis ? 1500 : 0) -
        (distanceM(b, anchor) + (entry.axis && axisOf(b) !== entry.axis ? 1500 : 0)),
    )[0];
    if (!best) return;
    names.set(best, entry.name);
    free.delete(best);
  }
  const rest = [...free].sort((a, b) => b.to - b.from - (a.to - a.from));
  const unanchored = pool.filter((e) => !e.anchor);
  rest.forEach((r, i) => {
    const entry = unanchored[i];
    if (entry) names.set(r, entry.name);
    else r.roadClass = demote;
  });
}

interface Piece {
  name: string;
  /** The road name places are named after ('红星路' for 红星路二段). */
  stem: string;
  run: Run;
  from: number;
  to: number;
}

const start = (p: Piece): LngLat =>
  p.run.vertical ? [lngAt(p.run.line), latAt(p.from)] : [lngAt(p.from), latAt(p.run.line)];
const lengthM = (p: Piece) => (p.to - p.from) * 100;

/** Point `along` metres from the piece's start, `side` metres to the east/south (negative: west/north). */
function at(p: Piece, along: number, side: number): LngLat {
  const [lng, lat] = start(p);
  return p.run.vertical
    ? pt(lng + side / METRES_PER_DEGREE_LNG, lat - along / METRES_PER_DEGREE_LAT)
    : pt(lng + along / METRES_PER_DEGREE_LNG, lat - side / METRES_PER_DEGREE_LAT);
}

/** Pieces of PIECE_CELLS from the start; a short remainder joins the piece before it. */
function splitCells(from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let a = from; a < to; a += PIECE_CELLS) {
    const last = out[out.length - 1];
    if (last && to - a < PIECE_CELLS / 4) last[1] = to;
    else out.push([a, Math.min(a + PIECE_CELLS, to)]);
  }
  return out;
}

/** Named pieces of every run: arterials and streets by segment, lanes after the nearest named road. */
function pieces(districtOf: DistrictOfCell): Piece[] {
  let all = runs(districtOf);
  const names = new Map<Run, string>();
  const of = (district: string, c: RoadClass) =>
    all.filter((r) => r.district === district && r.roadClass === c);
  for (const [district, pools] of Object.entries(DISTRICT_ROADS))
    assignNames(of(district, 'main'), pools.main, names, 'secondary');
  // Arterials keep one name over their segments (红星路一段, 二段); a long street is several streets.
  all = all.flatMap((r) =>
    r.roadClass === 'secondary' ? splitCells(r.from, r.to).map(([from, to]) => ({ ...r, from, to })) : [r],
  );
  for (const [district, pools] of Object.entries(DISTRICT_ROADS))
    assignNames(of(district, 'secondary'), pools.secondary, names, 'minor');
  const out: Piece[] = [];
  for (const run of all.filter((r) => names.has(r))) {
    const name = names.get(run) as string;
    const parts = splitCells(run.from, run.to);
    parts.forEach(([from, to], k) => {
      out.push({
        name: parts.length > 1 ? `${name}${chineseOrdinal(k + 1)}段` : name,
        stem: name,
        run,
        from,
        to,
      });
    });
  }
  // Lanes (巷) are numbered after the nearest crossing named road of their district.
  const lanesOf = new Map<string, number>();
  const named = out.slice();
  for (const run of all.filter((r) => !names.has(r))) {
    for (const [from, to] of splitCells(run.from, run.to)) {
      const probe: Run = { ...run, from, to };
      const mid = (() => {
        const [a, b] = [runStart(probe), runEnd(probe)];
        return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] as LngLat;
      })();
      const parent = named
        .filter((p) => p.run.district === run.district && p.run.vertical !== run.vertical)
        .sort((a, b) => distanceM(a.run, mid) - distanceM(b.run, mid) || a.stem.localeCompare(b.stem))[0];
      const stem = parent?.stem ?? '';
      const n = (lanesOf.get(stem) ?? 0) + 1;
      lanesOf.set(stem, n);
      out.push({
        name: `${stem}${chineseOrdinal(n)}巷`,
        stem: `${stem}${chineseOrdinal(n)}巷`,
        run,
        from,
        to,
      });
    }
  }
  return out;
}

export function generateDemoGazetteer(city: Pick<DemoCity, 'grids'>): DemoGazetteer {
  const districtOf = districtsOfCells(city);
  const inDistrict = (point: LngLat, district: string) => {
    const cell = cellAt(...point);
    return cell !== null && districtOf(cell.col, cell.row) === district;
  };
  const all = pieces(districtOf);
  const roads: DemoRoad[] = all.map((p) => ({
    name: p.name,
    aliases: [],
    line: [at(p, 0, 0), at(p, lengthM(p), 0)],
    roadClass: p.run.roadClass,
    district: p.run.district,
  }));
  const doors: DemoDoor[] = [];
  for (const p of all) {
    const own = (point: LngLat) => inDistrict(point, p.run.district);
    for (let k = 0; FIRST_DOOR_M + k * DOOR_STEP_M < lengthM(p); k++) {
      const along = FIRST_DOOR_M + k * DOOR_STEP_M;
      const odd = at(p, along, -DOOR_OFFSET_M);
      const even = at(p, along, DOOR_OFFSET_M);
      if (own(odd)) doors.push({ road: p.name, number: `${2 * k + 1}号`, point: odd });
      if (own(even)) doors.push({ road: p.name, number: `${2 * k + 2}号`, point: even });
      const sub = at(p, along + 8, -DOOR_OFFSET_M);
      if (k % 10 === 4 && own(sub)) doors.push({ road: p.name, number: `${2 * k + 1}-1号`, point: sub });
    }
  }
  const pois = [...places(all, inDistrict), ...landmarks(districtOf, roads, doors)];
  return { roads, doors, pois, areas: areas(districtOf, pois) };
}

function places(all: Piece[], inDistrict: (p: LngLat, d: string) => boolean): DemoPoi[] {
  const pois: DemoPoi[] = [];
  const taken = new Set<string>();
  const add = (p: Piece, kindIndex: number, k: number, side: 1 | -1) => {
    const kind = POI_KINDS[kindIndex % POI_KINDS.length] as (typeof POI_KINDS)[number];
    const along = FIRST_DOOR_M + k * DOOR_STEP_M;
    const point = at(p, along, side * POI_OFFSET_M);
    if (!inDistrict(point, p.run.district) || along >= lengthM(p)) return;
    let name = `${p.stem}${kind.suffix}`;
    if (taken.has(name)) name = `${p.name}${kind.suffix}`;
    if (taken.has(name)) return;
    taken.add(name);
    const number = side === 1 ? 2 * k + 2 : 2 * k + 1;
    pois.push({
      name,
      aliases: kind.category === '地铁站' ? [`${p.stem}地铁站`] : [],
      category: kind.category,
      point,
      address: `${p.name}${number}号`,
      district: p.run.district,
    });
  };
  all.forEach((p, i) => {
    if (p.run.roadClass === 'minor') return;
    const stations = Math.floor((lengthM(p) - FIRST_DOOR_M) / DOOR_STEP_M);
    for (const side of [1, -1] as const) add(p, i, Math.floor(stations / 2), side);
    add(p, i + 6, Math.floor(stations / 4), 1);
  });
  return pois;
}

const cellCentre = (col: number, row: number): LngLat => [
  (lngAt(col) + lngAt(col + 1)) / 2,
  (latAt(row) + latAt(row + 1)) / 2,
];

/** Landmarks: at their real spot when it lies in their district, else in its nearest free cell. */
function landmarks(districtOf: DistrictOfCell, roads: DemoRoad[], doors: DemoDoor[]): DemoPoi[] {
  const used = new Set<number>();
  const districtOfRoad = new Map(roads.map((r) => [r.name, r.district]));
  return LANDMARKS.map((l) => {
    const own = cellAt(...l.anchor);
    let point: LngLat;
    if (own && districtOf(own.col, own.row) === l.district && !used.has(own.row * COLS + own.col)) {
      used.add(own.row * COLS + own.col);
      point = pt(...l.anchor);
    } else {
      let best: { key: number; point: LngLat; d: number } | null = null;
      for (let row = 0; row < ROWS; row++) {
        for (let col = 0; col < COLS; col++) {
          if (districtOf(col, row) !== l.district || used.has(row * COLS + col)) continue;
          const c = cellCentre(col, row);
          const d = Math.hypot(
            (c[0] - l.anchor[0]) * METRES_PER_DEGREE_LNG,
            (c[1] - l.anchor[1]) * METRES_PER_DEGREE_LAT,
          );
          if (!best || d < best.d) best = { key: row * COLS + col, point: c, d };
        }
      }
      if (!best) throw new Error(`landmark ${l.name}: district ${l.district} has no free cell`);
      used.add(best.key);
      point = pt(...best.point);
    }
    // Its address: the nearest door of a road of its own district.
    let door: DemoDoor | undefined;
    let nearest = Number.POSITIVE_INFINITY;
    for (const d of doors) {
      // Famous places give their address on a named road, not on a lane.
      if (districtOfRoad.get(d.road) !== l.district || d.road.endsWith('巷')) continue;
      const m = Math.hypot(d.point[0] - point[0], (d.point[1] - point[1]) * 1.16);
      if (m < nearest) [door, nearest] = [d, m];
    }
    return {
      name: l.name,
      aliases: [...l.aliases],
      category: l.category,
      point,
      address: door ? `${door.road}${door.number}` : '',
      district: l.district,
    };
  });
}

/** Parks around the landmarks that have one (the largest square of own cells, up to 3 × 3), and the rivers. */
function areas(districtOf: DistrictOfCell, pois: DemoPoi[]): DemoArea[] {
  const out: DemoArea[] = [];
  for (const l of LANDMARKS.filter((x) => x.area === 'park')) {
    const poi = pois.find((p) => p.name === l.name);
    const cell = poi && cellAt(...poi.point);
    if (!cell) continue;
    const square = [3, 2, 1]
      .flatMap((size) =>
        Array.from({ length: size * size }, (_, k) => ({
          size,
          col: cell.col - (k % size),
          row: cell.row - Math.floor(k / size),
        })),
      )
      .find(({ size, col, row }) => {
        for (let r = row; r < row + size; r++)
          for (let c = col; c < col + size; c++) if (districtOf(c, r) !== l.district) return false;
        return true;
      });
    if (!square) continue;
    const dx = PARK_INSET_M / METRES_PER_DEGREE_LNG;
    const dy = PARK_INSET_M / METRES_PER_DEGREE_LAT;
    const w = lngAt(square.col) + dx;
    const e = lngAt(square.col + square.size) - dx;
    const n = latAt(square.row) - dy;
    const s = latAt(square.row + square.size) + dy;
    out.push({
      name: l.name,
      kind: 'park',
      district: l.district,
      geometry: { type: 'Polygon', coordinates: [[pt(w, s), pt(e, s), pt(e, n), pt(w, n), pt(w, s)]] },
    });
  }
  for (const r of RIVERS) {
    out.push({
      name: r.name,
      kind: 'water',
      district: null,
      geometry: { type: 'LineString', coordinates: [...r.line] },
    });
  }
  return out;
}
