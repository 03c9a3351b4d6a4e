/** Demo departments, the named demo logins and the rest of the demo staff. */
import { CITY } from './names.js';
import { personNames } from './people.js';
import type { Random } from './prng.js';
import type { DemoDepartment, DemoDivision, DemoGrid, DemoRole, DemoUser } from './types.js';

type UserSpec = Omit<DemoUser, 'phone'>;

/** Shared password of every demo account; only ever for local demos and tests. */
export const DEMO_PASSWORD = 'CityLoop@2026';

interface UnitSpec {
  code: string;
  name: string;
  children?: ReadonlyArray<{ code: string; name: string }>;
}

/** City-level professional departments (专业部门) and their sub-units (处置单位). */
const CITY_UNITS: readonly UnitSpec[] = [
  {
    code: 'SZ',
    name: '市政设施管理处',
    children: [
      { code: 'SZ-01', name: '道路养护所' },
      { code: 'SZ-02', name: '排水管理所' },
      { code: 'SZ-03', name: '路灯管理所' },
    ],
  },
  {
    code: 'HW',
    name: '环境卫生管理处',
    children: [
      { code: 'HW-01', name: '清扫保洁所' },
      { code: 'HW-02', name: '垃圾清运所' },
    ],
  },
  { code: 'YL', name: '园林绿化管理处', children: [{ code: 'YL-01', name: '绿化养护所' }] },
  { code: 'JG', name: '交通管理局', children: [{ code: 'JG-01', name: '交通设施管理所' }] },
  { code: 'GS', name: '自来水公司' },
  { code: 'RQ', name: '燃气公司' },
  { code: 'GD', name: '供电公司' },
  {
    code: 'TX',
    name: '通信管理办公室',
    children: [
      { code: 'TX-01', name: '电信分公司' },
      { code: 'TX-02', name: '移动分公司' },
      { code: 'TX-03', name: '联通分公司' },
    ],
  },
  { code: 'ZF', name: '城市管理综合行政执法局' },
];

/**
 * The sub-units with field crews (处置单位) that a real 责任分解表 names instead of their parent
 * department, by GB/T 30428.2 class (`<kind>:<小类 code>`): a road defect goes to the crew that
 * repairs roads, not to the bureau above it, so the dispatch suggestion names that crew.
 */
export const FIELD_CREWS: Readonly<Record<string, { parent: string; crew: string }>> = {
  'event:0110': { parent: 'SZ', crew: 'SZ-01' }, // 道路破损 → 道路养护所
  'event:0401': { parent: 'SZ', crew: 'SZ-01' }, // 路面塌陷 → 道路养护所
  'component:0102': { parent: 'SZ', crew: 'SZ-02' }, // 污水井盖 → 排水管理所
  'component:0103': { parent: 'SZ', crew: 'SZ-02' }, // 雨水井盖 → 排水管理所
  'component:0104': { parent: 'SZ', crew: 'SZ-02' }, // 雨水箅子 → 排水管理所
  'component:0106': { parent: 'SZ', crew: 'SZ-03' }, // 路灯井盖 → 路灯管理所
  'component:0118': { parent: 'SZ', crew: 'SZ-03' }, // 路灯 → 路灯管理所
  'event:0104': { parent: 'HW', crew: 'HW-01' }, // 道路不洁 → 清扫保洁所
};

/** The departments a demo rule names for a class: the field crew in place of its parent. */
export function withFieldCrews(kind: string, code: string, departments: readonly string[]): string[] {
  const crew = FIELD_CREWS[`${kind}:${code}`];
  return departments.map((d) => (crew && d === crew.parent ? crew.crew : d));
}

/** Code of the street office (街道办事处) department of a street. */
export function streetOfficeCode(streetCode: string): string {
  return `JD-${streetCode}`;
}

export function buildDepartments(divisions: readonly DemoDivision[]): DemoDepartment[] {
  const departments: DemoDepartment[] = [];
  for (const unit of CITY_UNITS) {
    departments.push({ code: unit.code, name: unit.name, parentCode: null, divisionCode: CITY.code });
    for (const child of unit.children ?? []) {
      departments.push({
        code: child.code,
        name: child.name,
        parentCode: unit.code,
        divisionCode: CITY.code,
      });
    }
  }
  // Each district has its own enforcement brigade under the city bureau.
  const districts = divisions.filter((d) => d.level === 'district');
  districts.forEach((district, i) => {
    departments.push({
      code: `ZF-${String(i + 1).padStart(2, '0')}`,
      name: `${district.name}城管执法大队`,
      parentCode: 'ZF',
      divisionCode: district.code,
    });
  });
  for (const street of divisions.filter((d) => d.level === 'street')) {
    departments.push({
      code: streetOfficeCode(street.code),
      name: `${street.name}办事处`,
      parentCode: null,
      divisionCode: street.code,
    });
  }
  return departments;
}

/** Deterministic, obviously-fake mainland mobile numbers: 138 2800 NNNN. */
function demoPhone(index: number): string {
  return `1382800${String(index + 1).padStart(4, '0')}`;
}

/**
 * The named demo logins (README, start banner, many tests): one per role, scoped to the first
 * district (by code), plus `intake2` of the second district so out-of-scope checks have someone.
 * Their usernames, roles, places and phones (1382800 0001–0011, in this order) never change.
 */
export const DEMO_LOGINS = [
  'admin',
  'leader',
  'coordinator',
  'shiftlead',
  'dispatcher',
  'intake',
  'supervisor',
  'dept',
  'handler',
  'citizen',
  'intake2',
] as const;

/**
 * Command-centre posts per district, the named logins included: enough people for the post
 * rankings (岗位评价) to compare, and for the history to spread the work over shifts.
 */
export const CENTRE_STAFF_PER_DISTRICT = { intake: 3, shift_leader: 2, dispatcher: 2 } as const;

/** Sub-units that get a handler (处置人员) of their own besides `handler` of SZ-01. */
const HANDLED_UNITS = ['SZ-02', 'SZ-03', 'HW-01', 'HW-02'] as const;

/** Pinyin initials of the posts, for the usernames of the staff beyond the named logins. */
const POST_PREFIX = { supervisor: 'jdy', intake: 'sly', shift_leader: 'zbz', dispatcher: 'pqy' } as const;

/**
 * The named logins, then the rest of the demo staff. Staff usernames are the pinyin initials of
 * the post and the place, so they read at a glance and never match a search for a named login:
 *
 * - `jdy-<community code>`: 监督员, one per community, holding that community's grids (the first
 *   community's is `supervisor`);
 * - `sly-` / `zbz-` / `pqy-<district code>-<n>`: 受理员 / 值班长 / 派遣员; n counts the district's
 *   staff of that post from 1, the named login (`intake`, `intake2`, `shiftlead`, `dispatcher`)
 *   being number 1 where there is one;
 * - `czy-<department code, lower case>`: 处置人员 of a few sub-units.
 *
 * Display names come from `personNames` with `random` (the city's seeded stream).
 */
export function buildUsers(
  divisions: readonly DemoDivision[],
  grids: readonly DemoGrid[],
  random: Random,
): DemoUser[] {
  const districts = divisions.filter((d) => d.level === 'district');
  const first = districts[0];
  const second = districts[1];
  if (first === undefined || second === undefined) throw new Error('demo city needs two districts');
  const firstStreet = divisions.find((d) => d.level === 'street' && d.parentCode === first.code);
  const firstCommunity = divisions.find((d) => d.level === 'community' && d.parentCode === firstStreet?.code);
  if (firstCommunity === undefined) throw new Error('first district has no community');
  const gridsOf = new Map<string, string[]>();
  for (const g of grids) gridsOf.set(g.communityCode, [...(gridsOf.get(g.communityCode) ?? []), g.code]);

  const scoped = (username: string, displayName: string, role: DemoRole, divisionCode: string) =>
    ({ username, displayName, role, divisionCode, departmentCode: null }) satisfies UserSpec;
  const departmental = (username: string, displayName: string, role: DemoRole, departmentCode: string) =>
    ({ username, displayName, role, divisionCode: null, departmentCode }) satisfies UserSpec;
  const supervising = (username: string, displayName: string, communityCode: string) => ({
    ...scoped(username, displayName, 'supervisor', communityCode),
    gridCodes: gridsOf.get(communityCode) ?? [],
  });

  const named: UserSpec[] = [
    scoped('admin', '赵管理', 'admin', CITY.code),
    scoped('leader', '钱领导', 'leader', CITY.code),
    scoped('coordinator', '孙协调', 'coordinator', CITY.code),
    scoped('shiftlead', '李值班', 'shift_leader', first.code),
    scoped('dispatcher', '周派遣', 'dispatcher', first.code),
    scoped('intake', '吴受理', 'intake', first.code),
    supervising('supervisor', '王监督', firstCommunity.code),
    departmental('dept', '郑部门', 'department', 'SZ'),
    departmental('handler', '冯处置', 'handler', 'SZ-01'),
    scoped('citizen', '陈市民', 'citizen', CITY.code),
    scoped('intake2', '褚受理', 'intake', second.code),
  ];

  // Staff first with a placeholder name, so the names are drawn in one go below.
  const staff: UserSpec[] = [];
  for (const community of divisions.filter((d) => d.level === 'community')) {
    if (community.code !== firstCommunity.code)
      staff.push(supervising(`${POST_PREFIX.supervisor}-${community.code}`, '', community.code));
  }
  for (const district of districts) {
    for (const role of ['intake', 'shift_leader', 'dispatcher'] as const) {
      const present = named.filter((u) => u.role === role && u.divisionCode === district.code).length;
      for (let n = present + 1; n <= CENTRE_STAFF_PER_DISTRICT[role]; n++)
        staff.push(scoped(`${POST_PREFIX[role]}-${district.code}-${n}`, '', role, district.code));
    }
  }
  for (const unit of HANDLED_UNITS)
    staff.push(departmental(`czy-${unit.toLowerCase()}`, '', 'handler', unit));

  const names = personNames(
    random,
    staff.length,
    named.map((u) => u.displayName),
  );
  const specs = [...named, ...staff.map((u, i) => ({ ...u, displayName: names[i] as string }))];
  return specs.map((spec, i) => ({ ...spec, phone: demoPhone(i) }));
}
