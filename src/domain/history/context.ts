/**
 * Tables derived once per run from the demo city and the catalog defaults: grids with weights
 * and bounding boxes, classes with their limits and departments, department profiles, and the
 * demo accounts that act for each place.
 */
import type { Role } from '../access/permissions.js';
import { NATIONAL_CLASSES, type NationalClass } from '../catalog/classes.js';
import { defaultStandard, type Urgency } from '../catalog/defaults.js';
import { AREA_CLASSES, limitForUrgency } from '../catalog/limits.js';
import { mulberry32, type Random } from '../demo-city/prng.js';
import type { DemoCity } from '../demo-city/types.js';
import type { TimeLimit } from '../timelimit/clock.js';
import type { ClockStep } from '../workflow/states.js';
import type { Actors } from './builder.js';
import { baseWeight, classKey, DEPARTMENT_BASE, type DepartmentProfile } from './profiles.js';

export interface ClassInfo {
  readonly cls: NationalClass;
  readonly key: string;
  readonly code: string;
  readonly urgency: Urgency;
  readonly weight: number;
  /** [A, B, C] → case urgency → step → limit (the fallback 特急 → 紧急 → 一般 applied). */
  readonly limits: ReadonlyArray<Readonly<Record<Urgency, ReadonlyMap<ClockStep, TimeLimit>>>>;
  readonly departments: readonly string[];
}

export interface GridInfo {
  readonly code: string;
  readonly districtCode: string;
  readonly streetCode: string;
  readonly area: 0 | 1 | 2;
  readonly minLng: number;
  readonly minLat: number;
  readonly spanLng: number;
  readonly spanLat: number;
  readonly actors: Actors;
}

export interface Context {
  readonly classes: readonly ClassInfo[];
  readonly grids: readonly GridInfo[];
  readonly gridCumulative: Float64Array;
  readonly profiles: ReadonlyMap<string, DepartmentProfile>;
  profileOf(code: string): DepartmentProfile;
  anyDepartment(random: Random): string;
  readonly departmentCodes: readonly string[];
  /** The demo citizen account, reporter of public reports. */
  readonly citizen: string | undefined;
  /** The unit that handles a class at a grid (sub-unit, district brigade or street office). */
  unitFor(info: ClassInfo, grid: GridInfo, random: Random): string;
}

const AREA_INDEX = { A: 0, B: 1, C: 2 } as const;
const LIGHTS = new Set(['c0118', 'c0119', 'c0120', 'c0106']);
const DRAINS = new Set(['c0102', 'c0103', 'c0104', 'e0404', 'e0406']);
const GARBAGE = new Set(['e0102', 'e0103', 'e0117', 'c0304', 'c0305']);

export function cumulativeOf(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => {
    total += w;
    out[i] = total;
  });
  return out;
}

/** Index drawn from cumulative weights with a uniform `u` in [0, 1). */
export function sample(cumulative: Float64Array, u: number): number {
  const target = u * (cumulative[cumulative.length - 1] ?? 0);
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Command-centre posts staffed per district and working in shifts. */
const CENTRE_POSTS = ['intake', 'shift_leader', 'dispatcher'] as const satisfies readonly Role[];

/** The centre works two 12-hour shifts, 08:00–20:00 and 20:00–08:00 local (+08:00): UTC half-days. */
const SHIFT_MS = 12 * 3_600_000;

/**
 * Who of `staff` works the shift holding instant `at` (ms): the day shift of local day d goes to
 * person d, its night shift to person d + 1 (mod the staff), so the rota moves on daily and
 * everyone works days and nights alike.
 */
export function onShift(staff: readonly string[], at: number): string | undefined {
  if (staff.length === 0) return undefined;
  const shift = Math.floor(at / SHIFT_MS);
  const turn = Math.floor(shift / 2) + (shift & 1);
  return staff[((turn % staff.length) + staff.length) % staff.length];
}

function hashCode(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function profileOf(code: string, citySeed: number): DepartmentProfile {
  const top = code.startsWith('JD-') ? 'JD' : (code.split('-')[0] ?? code);
  const base = DEPARTMENT_BASE[top] ?? DEPARTMENT_BASE.JD;
  const random = mulberry32(hashCode(code) ^ citySeed);
  const j = () => 0.75 + 0.5 * random();
  return {
    slowness: base.slowness * j(),
    late: base.late * j(),
    rework: base.rework * j(),
    return: base.return * j(),
    extension: base.extension * j(),
    suspension: base.suspension * j(),
  };
}

export function buildContext(city: DemoCity): Context {
  const classes: ClassInfo[] = NATIONAL_CLASSES.map((cls) => {
    const standard = defaultStandard(cls);
    const limits = AREA_CLASSES.map((area) => {
      const byUrgency = (u: Urgency) => {
        const map = new Map<ClockStep, TimeLimit>();
        for (const step of new Set(standard.limits.map((l) => l.step))) {
          const hit = limitForUrgency(standard.limits, step, area, u);
          if (hit) map.set(step, hit.limit);
        }
        return map;
      };
      return { normal: byUrgency('normal'), urgent: byUrgency('urgent'), emergency: byUrgency('emergency') };
    });
    return {
      cls,
      key: classKey(cls),
      code: `${cls.majorCode}${cls.minorCode}`,
      urgency: standard.defaultUrgency,
      weight: baseWeight(cls),
      limits,
      departments: standard.departmentCodes,
    };
  });

  const userOf = (role: Role, divisionCode: string | null) =>
    city.users.find((u) => u.role === role && (divisionCode === null || u.divisionCode === divisionCode))
      ?.username;
  const supervisorOf = new Map<string, string>();
  for (const u of city.users) for (const g of u.gridCodes ?? []) supervisorOf.set(g, u.username);
  const departmentUsers = new Map<string, string>();
  for (const u of city.users)
    if (u.departmentCode) departmentUsers.set(`${u.departmentCode}|${u.role}`, u.username);
  const departmentUser = (code: string, role: Role) =>
    departmentUsers.size === 0 ? undefined : departmentUsers.get(`${code}|${role}`);
  const coordinator = userOf('coordinator', null);
  const leader = userOf('leader', null);
  // Each district's centre staff per post, in the city's order (the named login first).
  const centreStaff = new Map<string, ReadonlyMap<Role, readonly string[]>>();
  for (const d of city.divisions.filter((x) => x.level === 'district')) {
    const staffOf = (role: Role) =>
      city.users.filter((u) => u.role === role && u.divisionCode === d.code).map((u) => u.username);
    centreStaff.set(d.code, new Map(CENTRE_POSTS.map((role) => [role, staffOf(role)] as const)));
  }
  const actorsOf = (districtCode: string, supervisor: string | undefined): Actors => {
    const staff = centreStaff.get(districtCode);
    return {
      userAt: (role, at) => {
        if (role === 'supervisor') return supervisor;
        if (role === 'coordinator') return coordinator;
        if (role === 'leader') return leader;
        return onShift(staff?.get(role) ?? [], at);
      },
      departmentUser,
    };
  };

  const weightRandom = mulberry32(city.seed ^ 0x5bd1e995);
  const grids: GridInfo[] = [];
  const gridCumulative = new Float64Array(city.grids.length);
  let total = 0;
  city.grids.forEach((g, i) => {
    let minLng = Number.POSITIVE_INFINITY;
    let minLat = Number.POSITIVE_INFINITY;
    let maxLng = Number.NEGATIVE_INFINITY;
    let maxLat = Number.NEGATIVE_INFINITY;
    for (const [lng, lat] of g.ring) {
      minLng = Math.min(minLng, lng);
      maxLng = Math.max(maxLng, lng);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    }
    const districtCode = g.code.slice(0, 6);
    grids.push({
      code: g.code,
      districtCode,
      streetCode: g.code.slice(0, 9),
      area: AREA_INDEX[g.areaClass],
      // 10 % margin so points stay inside the cell after rounding.
      minLng: minLng + (maxLng - minLng) * 0.1,
      minLat: minLat + (maxLat - minLat) * 0.1,
      spanLng: (maxLng - minLng) * 0.8,
      spanLat: (maxLat - minLat) * 0.8,
      actors: actorsOf(districtCode, supervisorOf.get(g.code)),
    });
    // Busy core areas report more, and a few hot spots (markets, stations) far more.
    total += [3, 2, 1][AREA_INDEX[g.areaClass]]! * (0.4 + 2.5 * weightRandom() ** 4);
    gridCumulative[i] = total;
  });

  const codes = new Set(city.departments.map((d) => d.code));
  const profiles = new Map(city.departments.map((d) => [d.code, profileOf(d.code, city.seed)]));
  const childrenOf = new Map<string, string[]>();
  for (const d of city.departments) {
    if (d.parentCode && !d.code.startsWith('ZF-')) {
      childrenOf.set(d.parentCode, [...(childrenOf.get(d.parentCode) ?? []), d.code]);
    }
  }
  const brigadeOf = new Map(
    city.departments.filter((d) => d.parentCode === 'ZF').map((d) => [d.divisionCode, d.code]),
  );
  const known = (code: string, fallback: string) => (codes.has(code) ? code : fallback);

  return {
    classes,
    grids,
    gridCumulative,
    profiles,
    departmentCodes: city.departments.map((d) => d.code),
    profileOf: (code) => profiles.get(code) ?? DEPARTMENT_BASE.JD,
    anyDepartment: (random) => city.departments[Math.floor(random() * city.departments.length)]?.code ?? 'ZF',
    citizen: userOf('citizen', null),
    unitFor(info, grid, random) {
      const top = info.departments[0] ?? 'ZF';
      if (top === 'ZF') {
        const streetOrder = info.key.startsWith('e05') || info.key.startsWith('e02');
        if (streetOrder && random() < 0.4) return known(`JD-${grid.streetCode}`, top);
        return brigadeOf.get(grid.districtCode) ?? top;
      }
      if (top === 'SZ')
        return known(LIGHTS.has(info.key) ? 'SZ-03' : DRAINS.has(info.key) ? 'SZ-02' : 'SZ-01', top);
      if (top === 'HW') return known(GARBAGE.has(info.key) ? 'HW-02' : 'HW-01', top);
      const children = childrenOf.get(top);
      if (children && children.length > 0) return children[Math.floor(random() * children.length)] ?? top;
      return known(top, 'ZF');
    },
  };
}
