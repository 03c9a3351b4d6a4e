/** Demo departments and one demo user per role. */
import { CITY } from './names.js';
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
 * One account per role, scoped to the first district (by code) so out-of-scope checks
 * can use `intake2`, the intake operator of the second district.
 */
export function buildUsers(divisions: readonly DemoDivision[], grids: readonly DemoGrid[]): DemoUser[] {
  const districts = divisions.filter((d) => d.level === 'district');
  const first = districts[0];
  const second = districts[1];
  if (first === undefined || second === undefined) throw new Error('demo city needs two districts');
  const firstStreet = divisions.find((d) => d.level === 'street' && d.parentCode === first.code);
  const firstCommunity = divisions.find((d) => d.level === 'community' && d.parentCode === firstStreet?.code);
  if (firstCommunity === undefined) throw new Error('first district has no community');
  const supervisedGrids = grids.filter((g) => g.communityCode === firstCommunity.code).map((g) => g.code);

  const scoped = (username: string, displayName: string, role: DemoRole, divisionCode: string) =>
    ({ username, displayName, role, divisionCode, departmentCode: null }) satisfies UserSpec;
  const departmental = (username: string, displayName: string, role: DemoRole, departmentCode: string) =>
    ({ username, displayName, role, divisionCode: null, departmentCode }) satisfies UserSpec;

  const specs: UserSpec[] = [
    scoped('admin', '赵管理', 'admin', CITY.code),
    scoped('leader', '钱领导', 'leader', CITY.code),
    scoped('coordinator', '孙协调', 'coordinator', CITY.code),
    scoped('shiftlead', '李值班', 'shift_leader', first.code),
    scoped('dispatcher', '周派遣', 'dispatcher', first.code),
    scoped('intake', '吴受理', 'intake', first.code),
    { ...scoped('supervisor', '王监督', 'supervisor', firstCommunity.code), gridCodes: supervisedGrids },
    departmental('dept', '郑部门', 'department', 'SZ'),
    departmental('handler', '冯处置', 'handler', 'SZ-01'),
    scoped('citizen', '陈市民', 'citizen', CITY.code),
    scoped('intake2', '褚受理', 'intake', second.code),
  ];
  return specs.map((spec, i) => ({ ...spec, phone: demoPhone(i) }));
}
