/**
 * Deterministic demo components (部件) for the demo city: manhole covers, street lamps, bins,
 * signs and street trees placed along the lattice lines, which serve as the city's streets.
 * Same city and seed → the same components, ids included.
 */
import type { DemoCity, DemoGrid } from '../demo-city/index.js';
import {
  COLS,
  cellAt,
  latAt,
  lngAt,
  METRES_PER_DEGREE_LAT,
  METRES_PER_DEGREE_LNG,
  ROWS,
} from '../demo-city/lattice.js';
import { mulberry32, type Random } from '../demo-city/prng.js';
import { formatComponentId } from './ids.js';
import type { AccuracyClass, ComponentState } from './states.js';

export interface DemoComponent {
  id: string;
  divisionCode: string;
  categoryCode: string;
  seq: number;
  name: string;
  gridCode: string;
  lng: number;
  lat: number;
  state: ComponentState;
  managingDepartment: string;
  owningDepartment: string;
  maintainingDepartment: string;
  startDate: string;
  changeDate: string | null;
  dataSource: string;
  accuracyClass: AccuracyClass;
  note: string | null;
}

interface KindSpec {
  categoryCode: string;
  name: string;
  /** 主管部门, 权属单位 (one picked at random), 养护单位 (same index as the owner, or the last one). */
  managing: string;
  owning: readonly string[];
  maintaining: readonly string[];
  accuracy: AccuracyClass;
  /** Distance from the street's centre line, metres. */
  offset: readonly [number, number];
}

const kind = (spec: KindSpec) => spec;

/** The classes the demo city registers (GB/T 30428.2 minor classes). */
export const DEMO_COMPONENT_KINDS = {
  waterCover: kind({
    categoryCode: '0101',
    name: '上水井盖',
    managing: 'SZ',
    owning: ['GS'],
    maintaining: ['GS'],
    accuracy: 'A',
    offset: [1.5, 5],
  }),
  sewageCover: kind({
    categoryCode: '0102',
    name: '污水井盖',
    managing: 'SZ',
    owning: ['SZ'],
    maintaining: ['SZ-02'],
    accuracy: 'A',
    offset: [1.5, 5],
  }),
  rainCover: kind({
    categoryCode: '0103',
    name: '雨水井盖',
    managing: 'SZ',
    owning: ['SZ'],
    maintaining: ['SZ-02'],
    accuracy: 'A',
    offset: [3, 6],
  }),
  powerCover: kind({
    categoryCode: '0105',
    name: '电力井盖',
    managing: 'SZ',
    owning: ['GD'],
    maintaining: ['GD'],
    accuracy: 'A',
    offset: [1.5, 5],
  }),
  telecomCover: kind({
    categoryCode: '0107',
    name: '通讯井盖',
    managing: 'TX',
    owning: ['TX-01', 'TX-02', 'TX-03'],
    maintaining: ['TX-01', 'TX-02', 'TX-03'],
    accuracy: 'A',
    offset: [1.5, 5],
  }),
  gasCover: kind({
    categoryCode: '0111',
    name: '燃气井盖',
    managing: 'SZ',
    owning: ['RQ'],
    maintaining: ['RQ'],
    accuracy: 'A',
    offset: [1.5, 5],
  }),
  lamp: kind({
    categoryCode: '0118',
    name: '路灯',
    managing: 'SZ',
    owning: ['SZ'],
    maintaining: ['SZ-03'],
    accuracy: 'A',
    offset: [7.5, 8.5],
  }),
  trafficSign: kind({
    categoryCode: '0209',
    name: '交通标志牌',
    managing: 'JG',
    owning: ['JG'],
    maintaining: ['JG-01'],
    accuracy: 'B',
    offset: [8, 9],
  }),
  roadNameSign: kind({
    categoryCode: '0213',
    name: '路名牌',
    managing: 'JG',
    owning: ['JG'],
    maintaining: ['JG-01'],
    accuracy: 'B',
    offset: [8, 9],
  }),
  bin: kind({
    categoryCode: '0305',
    name: '垃圾箱',
    managing: 'HW',
    owning: ['HW'],
    maintaining: ['HW-02'],
    accuracy: 'B',
    offset: [8.5, 9.5],
  }),
  streetTree: kind({
    categoryCode: '0402',
    name: '行道树',
    managing: 'YL',
    owning: ['YL'],
    maintaining: ['YL-01'],
    accuracy: 'C',
    offset: [6, 7],
  }),
} as const;

type KindName = keyof typeof DEMO_COMPONENT_KINDS;

/** Manhole covers by share of all covers on a street. */
const COVER_MIX: ReadonlyArray<readonly [KindName, number]> = [
  ['waterCover', 0.2],
  ['sewageCover', 0.2],
  ['rainCover', 0.25],
  ['powerCover', 0.12],
  ['telecomCover', 0.13],
  ['gasCover', 0.1],
];

/** One thing to place on a street segment: where along it (0–1) and on which side. */
interface Placement {
  kind: KindName;
  t: number;
  side: 1 | -1;
}

function pickCover(random: Random): KindName {
  let r = random();
  for (const [name, share] of COVER_MIX) {
    r -= share;
    if (r < 0) return name;
  }
  return 'rainCover';
}

/** What one 100 m street segment carries: ≈ 4 components on average. */
function placementsOf(random: Random): Placement[] {
  const side = (): 1 | -1 => (random() < 0.5 ? 1 : -1);
  const out: Placement[] = [];
  const covers = 1 + Math.floor(random() * 3);
  for (let i = 0; i < covers; i++)
    out.push({ kind: pickCover(random), t: 0.08 + random() * 0.84, side: side() });
  if (random() < 0.85) out.push({ kind: 'lamp', t: 0.45 + random() * 0.1, side: side() });
  if (random() < 0.45) out.push({ kind: 'bin', t: 0.2 + random() * 0.6, side: side() });
  if (random() < 0.35) {
    const s = side();
    out.push({ kind: 'streetTree', t: 0.3, side: s }, { kind: 'streetTree', t: 0.7, side: s });
  }
  if (random() < 0.12) out.push({ kind: 'trafficSign', t: random() < 0.5 ? 0.1 : 0.9, side: side() });
  if (random() < 0.08) out.push({ kind: 'roadNameSign', t: 0.06, side: side() });
  return out;
}

const DAY_MS = 86_400_000;
const FIRST_START = Date.UTC(2008, 0, 1);
const LAST_START = Date.UTC(2024, 11, 31);
const LAST_CHANGE = Date.UTC(2025, 11, 31);
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

function stateOf(random: Random): ComponentState {
  const r = random();
  if (r < 0.94) return 'intact';
  if (r < 0.97) return 'damaged';
  if (r < 0.985) return 'missing';
  return 'occupied';
}

const NOTES: Partial<Record<ComponentState, string>> = {
  damaged: '巡查发现破损，待修复',
  missing: '巡查发现缺失，已设临时围挡',
  occupied: '被占道经营或堆物占用',
};

/** Cell (col,row) → grid, from each grid's ring (the lattice, no geometry library). */
function gridsByCell(grids: readonly DemoGrid[]): Map<number, DemoGrid> {
  const map = new Map<number, DemoGrid>();
  for (const g of grids) {
    const [sw, , ne] = g.ring;
    if (!sw || !ne) continue;
    const cell = cellAt((sw[0] + ne[0]) / 2, (sw[1] + ne[1]) / 2);
    if (cell) map.set(cell.row * COLS + cell.col, g);
  }
  return map;
}

/** Every street segment of the lattice: horizontal ones row by row, then vertical ones. */
function* streetSegments(): Generator<{ from: [number, number]; to: [number, number]; horizontal: boolean }> {
  for (let row = 0; row <= ROWS; row++) {
    for (let col = 0; col < COLS; col++) {
      yield { from: [lngAt(col), latAt(row)], to: [lngAt(col + 1), latAt(row)], horizontal: true };
    }
  }
  for (let col = 0; col <= COLS; col++) {
    for (let row = 0; row < ROWS; row++) {
      yield { from: [lngAt(col), latAt(row)], to: [lngAt(col), latAt(row + 1)], horizontal: false };
    }
  }
}

export function generateDemoComponents(city: DemoCity, seed: number = city.seed): DemoComponent[] {
  // Its own stream, so the city's layout does not shift when component rules change.
  const random = mulberry32((seed ^ 0x0c0e_a5e1) >>> 0);
  const byCell = gridsByCell(city.grids);
  const seqs = new Map<string, number>();
  const out: DemoComponent[] = [];

  for (const segment of streetSegments()) {
    for (const p of placementsOf(random)) {
      const spec: KindSpec = DEMO_COMPONENT_KINDS[p.kind];
      const offset = spec.offset[0] + random() * (spec.offset[1] - spec.offset[0]);
      const along: [number, number] = [
        segment.from[0] + p.t * (segment.to[0] - segment.from[0]),
        segment.from[1] + p.t * (segment.to[1] - segment.from[1]),
      ];
      // On the city's outer streets only the inner side is inside a grid.
      let placed: { lng: number; lat: number; grid: DemoGrid } | null = null;
      for (const side of [p.side, -p.side]) {
        const lng = round7(
          segment.horizontal ? along[0] : along[0] + (side * offset) / METRES_PER_DEGREE_LNG,
        );
        const lat = round7(
          segment.horizontal ? along[1] + (side * offset) / METRES_PER_DEGREE_LAT : along[1],
        );
        const cell = cellAt(lng, lat);
        const grid = cell ? byCell.get(cell.row * COLS + cell.col) : undefined;
        if (grid) {
          placed = { lng, lat, grid };
          break;
        }
      }
      const owner = Math.floor(random() * spec.owning.length);
      const state = stateOf(random);
      const start = FIRST_START + Math.floor(random() * ((LAST_START - FIRST_START) / DAY_MS)) * DAY_MS;
      const change = start + Math.floor(random() * ((LAST_CHANGE - start) / DAY_MS)) * DAY_MS;
      if (!placed) continue;
      const divisionCode = placed.grid.code.slice(0, 6);
      const prefix = `${divisionCode}${spec.categoryCode}`;
      const seq = (seqs.get(prefix) ?? 0) + 1;
      seqs.set(prefix, seq);
      out.push({
        id: formatComponentId(divisionCode, spec.categoryCode, seq),
        divisionCode,
        categoryCode: spec.categoryCode,
        seq,
        name: spec.name,
        gridCode: placed.grid.code,
        lng: placed.lng,
        lat: placed.lat,
        state,
        managingDepartment: spec.managing,
        owningDepartment: spec.owning[owner] as string,
        maintainingDepartment: (spec.maintaining[owner] ?? spec.maintaining.at(-1)) as string,
        startDate: isoDate(start),
        changeDate: state === 'intact' ? null : isoDate(change),
        dataSource: state === 'intact' ? '部件普查' : '监督员巡查',
        accuracyClass: spec.accuracy,
        note: NOTES[state] ?? null,
      });
    }
  }
  return out;
}
