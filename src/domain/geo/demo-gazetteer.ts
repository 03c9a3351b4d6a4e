/**
 * Deterministic demo gazetteer (地名地址库) on the demo city's lattice: a road on every second
 * lattice line (200 m apart, so no point is more than 100 m from a road), door numbers every
 * 40 m (odd on the west/north side, even on the east/south side) and about 280 places.
 */
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
import {
  LANDMARKS,
  MAIN_HORIZONTAL,
  MAIN_VERTICAL,
  MINOR_HORIZONTAL,
  MINOR_VERTICAL,
  POI_KINDS,
} from './demo-names.js';
import { chineseOrdinal } from './numerals.js';

export interface DemoRoad {
  name: string;
  aliases: string[];
  line: LngLat[];
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
}
export interface DemoGazetteer {
  roads: DemoRoad[];
  doors: DemoDoor[];
  pois: DemoPoi[];
}

/** Road lines every this many cells; pieces (segments) this many cells long. */
export const ROAD_SPACING_CELLS = 2;
const PIECE_CELLS = 20;
const DOOR_STEP_M = 40;
// 15 + 40k is never a multiple of 100: doors never sit on a cross street's lattice line.
const FIRST_DOOR_M = 15;
const DOOR_OFFSET_M = 12;
const POI_OFFSET_M = 40;

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
const pt = (lng: number, lat: number): LngLat => [round7(lng), round7(lat)];

interface Piece {
  name: string;
  aliases: string[];
  /** Start of the piece (north end of a vertical road, west end of a horizontal one). */
  start: LngLat;
  vertical: boolean;
  lengthM: number;
  /** The road name a place is named after ('红星路' for 红星路二段). */
  stem: string;
}

function pieceRanges(cells: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let a = 0; a < cells; a += PIECE_CELLS) out.push([a, Math.min(a + PIECE_CELLS, cells)]);
  return out;
}

function minorName(stem: string, index: number, piece: number, vertical: boolean): string {
  const where = vertical ? ['北', '中', '南'] : ['西', '中', '东'];
  return `${stem}${where[piece] ?? ''}${index % 2 === 0 ? '路' : '街'}`;
}

function pieces(): Piece[] {
  const out: Piece[] = [];
  const lines = (count: number, vertical: boolean) => {
    const main = vertical ? MAIN_VERTICAL : MAIN_HORIZONTAL;
    const minor = vertical ? MINOR_VERTICAL : MINOR_HORIZONTAL;
    for (let i = 0; i <= count; i += ROAD_SPACING_CELLS) {
      const isMain = i % (2 * ROAD_SPACING_CELLS) === 0;
      const index = Math.floor(i / (2 * ROAD_SPACING_CELLS));
      const ranges = pieceRanges(vertical ? ROWS : COLS);
      ranges.forEach(([a, b], p) => {
        const stem = isMain ? (main[index] as string) : `${minor[index] as string}路`;
        const name = isMain
          ? `${stem}${chineseOrdinal(p + 1)}段`
          : minorName(minor[index] as string, index, p, vertical);
        out.push({
          name,
          aliases: [],
          start: vertical ? [lngAt(i), latAt(a)] : [lngAt(a), latAt(i)],
          vertical,
          lengthM: (b - a) * 100,
          stem: isMain ? stem : name,
        });
      });
    }
  };
  lines(COLS, true);
  lines(ROWS, false);
  return out;
}

/** Point `along` metres from the piece's start, `side` metres to the east/south (negative: west/north). */
function at(p: Piece, along: number, side: number): LngLat {
  const [lng, lat] = p.start;
  return p.vertical
    ? pt(lng + side / METRES_PER_DEGREE_LNG, lat - along / METRES_PER_DEGREE_LAT)
    : pt(lng + along / METRES_PER_DEGREE_LNG, lat - side / METRES_PER_DEGREE_LAT);
}

const inCity = ([lng, lat]: LngLat) => cellAt(lng, lat) !== null;

export function generateDemoGazetteer(): DemoGazetteer {
  const all = pieces();
  const roads: DemoRoad[] = all.map((p) => ({
    name: p.name,
    aliases: p.aliases,
    line: [at(p, 0, 0), at(p, p.lengthM, 0)],
  }));
  const doors: DemoDoor[] = [];
  for (const p of all) {
    for (let k = 0; FIRST_DOOR_M + k * DOOR_STEP_M < p.lengthM; k++) {
      const along = FIRST_DOOR_M + k * DOOR_STEP_M;
      const odd = at(p, along, -DOOR_OFFSET_M);
      const even = at(p, along, DOOR_OFFSET_M);
      if (inCity(odd)) doors.push({ road: p.name, number: `${2 * k + 1}号`, point: odd });
      if (inCity(even)) doors.push({ road: p.name, number: `${2 * k + 2}号`, point: even });
      const sub = at(p, along + 8, -DOOR_OFFSET_M);
      if (k % 10 === 4 && inCity(sub)) doors.push({ road: p.name, number: `${2 * k + 1}-1号`, point: sub });
    }
  }
  return { roads, doors, pois: places(all) };
}

function places(all: Piece[]): DemoPoi[] {
  const pois: DemoPoi[] = [];
  const taken = new Set<string>();
  const add = (p: Piece, kindIndex: number, k: number, side: 1 | -1) => {
    const kind = POI_KINDS[kindIndex % POI_KINDS.length] as (typeof POI_KINDS)[number];
    const along = FIRST_DOOR_M + k * DOOR_STEP_M;
    const point = at(p, along, side * POI_OFFSET_M);
    if (!inCity(point) || along >= p.lengthM) return;
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
    });
  };
  all.forEach((p, i) => {
    const stations = Math.floor((p.lengthM - FIRST_DOOR_M) / DOOR_STEP_M);
    add(p, i, Math.floor(stations / 2), 1);
    if (p.stem !== p.name) add(p, i + 6, Math.floor(stations / 4), -1);
  });
  const byName = new Map(all.map((p) => [p.name, p]));
  for (const l of LANDMARKS) {
    const p = byName.get(l.road);
    if (!p) throw new Error(`landmark ${l.name}: no demo road ${l.road}`);
    const k = Math.floor((l.door - 1) / 2);
    const point = at(p, FIRST_DOOR_M + k * DOOR_STEP_M, (l.door % 2 === 0 ? 1 : -1) * POI_OFFSET_M);
    if (!inCity(point)) throw new Error(`landmark ${l.name} lies outside the city`);
    pois.push({
      name: l.name,
      aliases: [...l.aliases],
      category: l.category,
      point,
      address: `${l.road}${l.door}号`,
    });
  }
  return pois;
}
