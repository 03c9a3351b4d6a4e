import { describe, expect, it } from 'vitest';
import { divisionLevelOf, isDivisionChildOf, validateGridCode } from '../codes.js';
import { checkPassword } from '../password-policy.js';
import {
  CENTRE_STAFF_PER_DISTRICT,
  cellAt,
  DEFAULT_DEMO_SEED,
  DEMO_LATTICE,
  DEMO_LOGINS,
  DEMO_PASSWORD,
  type DemoCity,
  type DemoGrid,
  type DemoRole,
  FIELD_CREWS,
  generateDemoCity,
  streetOfficeCode,
  withFieldCrews,
} from './index.js';

const { cols: COLS, rows: ROWS } = DEMO_LATTICE;
const key = (col: number, row: number) => row * COLS + col;

function cellOf(grid: DemoGrid): { col: number; row: number } {
  const [sw, , ne] = [grid.ring[0], grid.ring[1], grid.ring[2]];
  if (sw === undefined || ne === undefined) throw new Error(`bad ring for ${grid.code}`);
  const cell = cellAt((sw[0] + ne[0]) / 2, (sw[1] + ne[1]) / 2);
  if (cell === null) throw new Error(`grid ${grid.code} lies outside the lattice`);
  return cell;
}

const NEIGHBOURS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;

/** Size of the 4-connected component containing cells[0]. */
function componentSize(cells: ReadonlySet<number>): number {
  const [first] = cells;
  if (first === undefined) return 0;
  const seen = new Set([first]);
  const stack = [first];
  while (stack.length > 0) {
    const k = stack.pop() as number;
    for (const [dc, dr] of NEIGHBOURS) {
      const col = (k % COLS) + dc;
      const row = Math.floor(k / COLS) + dr;
      const next = key(col, row);
      if (col >= 0 && col < COLS && row >= 0 && row < ROWS && cells.has(next) && !seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen.size;
}

/** True when every cell outside `cells` reaches the lattice border: no enclaves. */
function hasNoHoles(cells: ReadonlySet<number>): boolean {
  // Flood the complement, starting from its cells on the lattice border.
  const reached = new Set<number>();
  for (let col = 0; col < COLS; col++) {
    for (let row = 0; row < ROWS; row++) {
      const onBorder = col === 0 || row === 0 || col === COLS - 1 || row === ROWS - 1;
      if (onBorder && !cells.has(key(col, row))) reached.add(key(col, row));
    }
  }
  const stack = [...reached];
  while (stack.length > 0) {
    const k = stack.pop() as number;
    for (const [dc, dr] of NEIGHBOURS) {
      const col = (k % COLS) + dc;
      const row = Math.floor(k / COLS) + dr;
      const next = key(col, row);
      if (col < 0 || col >= COLS || row < 0 || row >= ROWS || cells.has(next) || reached.has(next)) continue;
      reached.add(next);
      stack.push(next);
    }
  }
  return reached.size + cells.size === COLS * ROWS;
}

function cellsByPrefix(city: DemoCity, prefixLength: number): Map<string, Set<number>> {
  const groups = new Map<string, Set<number>>();
  for (const grid of city.grids) {
    const { col, row } = cellOf(grid);
    const group = grid.code.slice(0, prefixLength);
    const set = groups.get(group) ?? new Set<number>();
    set.add(key(col, row));
    groups.set(group, set);
  }
  return groups;
}

const SEEDS = [DEFAULT_DEMO_SEED, 1, 7, 42, 2 ** 31 - 1];

describe.each(SEEDS)('demo city invariants (seed %i)', (seed) => {
  const city = generateDemoCity(seed);
  const divisionsByCode = new Map(city.divisions.map((d) => [d.code, d]));
  const communities = city.divisions.filter((d) => d.level === 'community');

  it('has enough divisions and grids', () => {
    const count = (level: string) => city.divisions.filter((d) => d.level === level).length;
    expect(count('city')).toBe(1);
    expect(count('district')).toBeGreaterThanOrEqual(2);
    expect(count('street')).toBeGreaterThanOrEqual(6);
    expect(count('community')).toBeGreaterThanOrEqual(20);
    expect(city.grids.length).toBeGreaterThanOrEqual(2000);
    for (const district of city.divisions.filter((d) => d.level === 'district')) {
      expect(city.divisions.filter((d) => d.parentCode === district.code).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('has unique division codes whose parents exist and match', () => {
    expect(divisionsByCode.size).toBe(city.divisions.length);
    for (const division of city.divisions) {
      expect(divisionLevelOf(division.code)).toBe(division.level);
      if (division.level === 'city') {
        expect(division.parentCode).toBeNull();
        continue;
      }
      const parent = divisionsByCode.get(division.parentCode ?? '');
      expect(parent, division.code).toBeDefined();
      expect(isDivisionChildOf(division.code, division.parentCode ?? '')).toBe(true);
      // Parents come first, so inserting in order never violates a foreign key.
      expect(city.divisions.indexOf(parent as (typeof city.divisions)[number])).toBeLessThan(
        city.divisions.indexOf(division),
      );
    }
    expect(new Set(city.divisions.map((d) => d.name)).size).toBe(city.divisions.length);
  });

  it('gives every grid a unique code valid for its community', () => {
    expect(new Set(city.grids.map((g) => g.code)).size).toBe(city.grids.length);
    for (const grid of city.grids) {
      expect(divisionsByCode.get(grid.communityCode)?.level).toBe('community');
      expect(validateGridCode(grid.code, grid.communityCode)).toEqual({ ok: true, seq: grid.seq });
    }
  });

  it('numbers grids 1..n west→east, north→south within each community', () => {
    for (const community of communities) {
      const grids = city.grids
        .filter((g) => g.communityCode === community.code)
        .sort((a, b) => a.seq - b.seq);
      expect(grids.map((g) => g.seq)).toEqual(grids.map((_, i) => i + 1));
      const cells = grids.map(cellOf);
      for (let i = 1; i < cells.length; i++) {
        const prev = cells[i - 1] as { col: number; row: number };
        const cur = cells[i] as { col: number; row: number };
        expect(cur.row > prev.row || (cur.row === prev.row && cur.col > prev.col)).toBe(true);
      }
    }
  });

  it('tiles the whole lattice exactly once', () => {
    const cells = new Set(city.grids.map((g) => key(cellOf(g).col, cellOf(g).row)));
    expect(cells.size).toBe(city.grids.length);
    expect(cells.size).toBe(COLS * ROWS);
  });

  it('keeps every community, street and district 4-connected and without holes', () => {
    for (const prefixLength of [12, 9, 6]) {
      for (const [code, cells] of cellsByPrefix(city, prefixLength)) {
        expect(componentSize(cells), code).toBe(cells.size);
        expect(hasNoHoles(cells), code).toBe(true);
      }
    }
    for (const cells of cellsByPrefix(city, 12).values()) expect(cells.size).toBeGreaterThanOrEqual(40);
  });

  it('builds closed counter-clockwise rings sharing exact edges with neighbours', () => {
    const ringAt = new Map(city.grids.map((g) => [key(cellOf(g).col, cellOf(g).row), g.ring]));
    const problems: string[] = [];
    for (const grid of city.grids) {
      const ring = grid.ring;
      if (ring.length !== 5 || ring[4]?.join() !== ring[0]?.join()) problems.push(`${grid.code} not closed`);
      let twiceArea = 0;
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x1, y1] = ring[i] as [number, number];
        const [x2, y2] = ring[i + 1] as [number, number];
        twiceArea += x1 * y2 - x2 * y1;
      }
      if (twiceArea <= 0) problems.push(`${grid.code} not counter-clockwise`);
      // Shared edges must be bit-identical (Object.is), not merely close.
      const same = (p?: [number, number], q?: [number, number]) =>
        p !== undefined && q !== undefined && Object.is(p[0], q[0]) && Object.is(p[1], q[1]);
      const { col, row } = cellOf(grid);
      const east = ringAt.get(key(col + 1, row));
      if (col + 1 < COLS && !(same(east?.[0], ring[1]) && same(east?.[3], ring[2]))) {
        problems.push(`${grid.code} east edge`);
      }
      const south = ringAt.get(key(col, row + 1));
      if (row + 1 < ROWS && !(same(south?.[3], ring[0]) && same(south?.[2], ring[1]))) {
        problems.push(`${grid.code} south edge`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has the required departments with existing parents', () => {
    const byCode = new Map(city.departments.map((d) => [d.code, d]));
    expect(byCode.size).toBe(city.departments.length);
    expect(city.departments.length).toBeGreaterThanOrEqual(10);
    const named = (code: string) => byCode.get(code)?.name;
    expect(named('SZ')).toBe('市政设施管理处');
    expect(named('SZ-01')).toBe('道路养护所');
    expect(named('SZ-02')).toBe('排水管理所');
    expect(named('HW')).toBe('环境卫生管理处');
    expect(named('HW-01')).toBe('清扫保洁所');
    expect(named('YL')).toBe('园林绿化管理处');
    expect(named('JG')).toBe('交通管理局');
    expect(named('GS')).toBe('自来水公司');
    expect(named('RQ')).toBe('燃气公司');
    expect(named('GD')).toBe('供电公司');
    expect(named('TX')).toBe('通信管理办公室');
    expect(named('ZF')).toBe('城市管理综合行政执法局');
    for (const department of city.departments) {
      if (department.parentCode !== null) expect(byCode.has(department.parentCode)).toBe(true);
      expect(divisionsByCode.has(department.divisionCode)).toBe(true);
    }
    for (const street of city.divisions.filter((d) => d.level === 'street')) {
      expect(byCode.get(streetOfficeCode(street.code))).toEqual({
        code: streetOfficeCode(street.code),
        name: `${street.name}办事处`,
        parentCode: null,
        divisionCode: street.code,
      });
    }
  });

  it('keeps the named demo logins exactly, in order, with phones 1382800 0001–0011', () => {
    expect(city.users.slice(0, DEMO_LOGINS.length).map((u) => u.username)).toEqual([...DEMO_LOGINS]);
    const firstCommunity = '510104001001';
    const scoped = (role: DemoRole, divisionCode: string) => ({ role, divisionCode, departmentCode: null });
    const named = Object.fromEntries(city.users.slice(0, DEMO_LOGINS.length).map((u) => [u.username, u]));
    expect(named).toEqual({
      admin: { username: 'admin', displayName: '赵管理', ...scoped('admin', '510100'), phone: '13828000001' },
      leader: {
        username: 'leader',
        displayName: '钱领导',
        ...scoped('leader', '510100'),
        phone: '13828000002',
      },
      coordinator: {
        username: 'coordinator',
        displayName: '孙协调',
        ...scoped('coordinator', '510100'),
        phone: '13828000003',
      },
      shiftlead: {
        username: 'shiftlead',
        displayName: '李值班',
        ...scoped('shift_leader', '510104'),
        phone: '13828000004',
      },
      dispatcher: {
        username: 'dispatcher',
        displayName: '周派遣',
        ...scoped('dispatcher', '510104'),
        phone: '13828000005',
      },
      intake: {
        username: 'intake',
        displayName: '吴受理',
        ...scoped('intake', '510104'),
        phone: '13828000006',
      },
      supervisor: {
        username: 'supervisor',
        displayName: '王监督',
        ...scoped('supervisor', firstCommunity),
        phone: '13828000007',
        gridCodes: city.grids.filter((g) => g.communityCode === firstCommunity).map((g) => g.code),
      },
      dept: {
        username: 'dept',
        displayName: '郑部门',
        role: 'department',
        divisionCode: null,
        departmentCode: 'SZ',
        phone: '13828000008',
      },
      handler: {
        username: 'handler',
        displayName: '冯处置',
        role: 'handler',
        divisionCode: null,
        departmentCode: 'SZ-01',
        phone: '13828000009',
      },
      citizen: {
        username: 'citizen',
        displayName: '陈市民',
        ...scoped('citizen', '510100'),
        phone: '13828000010',
      },
      intake2: {
        username: 'intake2',
        displayName: '褚受理',
        ...scoped('intake', '510105'),
        phone: '13828000011',
      },
    });
    expect(named.supervisor?.gridCodes?.length).toBeGreaterThan(0);
  });

  it('gives every community exactly one supervisor holding exactly its grids', () => {
    const supervisors = city.users.filter((u) => u.role === 'supervisor');
    expect(supervisors.map((u) => u.divisionCode).sort()).toEqual(communities.map((c) => c.code).sort());
    for (const community of communities) {
      const [supervisor, ...others] = supervisors.filter((u) => u.divisionCode === community.code);
      expect(others, community.code).toEqual([]);
      const grids = city.grids.filter((g) => g.communityCode === community.code).map((g) => g.code);
      expect(supervisor?.gridCodes, community.code).toEqual(grids);
      if (supervisor?.username !== 'supervisor') expect(supervisor?.username).toBe(`jdy-${community.code}`);
    }
    // Every grid has its supervisor, and only one.
    const held = supervisors.flatMap((u) => u.gridCodes ?? []);
    expect(held.length).toBe(city.grids.length);
    expect(new Set(held).size).toBe(city.grids.length);
    expect(city.users.filter((u) => u.role !== 'supervisor').every((u) => u.gridCodes === undefined)).toBe(
      true,
    );
  });

  it('staffs every district with the centre posts', () => {
    const prefix = { intake: 'sly', shift_leader: 'zbz', dispatcher: 'pqy' } as const;
    for (const district of city.divisions.filter((d) => d.level === 'district')) {
      for (const role of ['intake', 'shift_leader', 'dispatcher'] as const) {
        const staff = city.users.filter((u) => u.role === role && u.divisionCode === district.code);
        expect(staff.length, `${district.code} ${role}`).toBe(CENTRE_STAFF_PER_DISTRICT[role]);
        expect(CENTRE_STAFF_PER_DISTRICT[role]).toBeGreaterThanOrEqual(2);
        // Numbered from 1 with the named login (if any) as number 1.
        const named = staff.filter((u) => (DEMO_LOGINS as readonly string[]).includes(u.username)).length;
        expect(staff.slice(named).map((u) => u.username)).toEqual(
          staff.slice(named).map((_, i) => `${prefix[role]}-${district.code}-${named + i + 1}`),
        );
      }
    }
    // Centre posts sit at district level only; city roles are the named logins alone.
    for (const u of city.users) {
      if (['intake', 'shift_leader', 'dispatcher'].includes(u.role))
        expect(divisionsByCode.get(u.divisionCode ?? '')?.level, u.username).toBe('district');
      if (['admin', 'leader', 'coordinator', 'citizen', 'department'].includes(u.role))
        expect(DEMO_LOGINS as readonly string[]).toContain(u.username);
    }
  });

  it('gives every account a unique username, name and phone, and roles scoped as documented', () => {
    const roles: DemoRole[] = [
      'admin',
      'leader',
      'coordinator',
      'shift_leader',
      'dispatcher',
      'intake',
      'supervisor',
      'department',
      'handler',
      'citizen',
    ];
    for (const role of roles)
      expect(
        city.users.some((u) => u.role === role),
        role,
      ).toBe(true);
    const unique = (values: readonly string[]) => new Set(values).size === values.length;
    expect(unique(city.users.map((u) => u.username.toLowerCase()))).toBe(true);
    expect(unique(city.users.map((u) => u.displayName))).toBe(true);
    expect(unique(city.users.map((u) => u.phone))).toBe(true);
    const departments = new Set(city.departments.map((d) => d.code));
    city.users.forEach((user, i) => {
      expect(user.username).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/);
      expect(user.displayName).toMatch(/^\p{Script=Han}{2,3}$/u);
      expect(user.phone).toBe(`1382800${String(i + 1).padStart(4, '0')}`);
      const isDepartmentRole = user.role === 'department' || user.role === 'handler';
      expect(user.divisionCode === null).toBe(isDepartmentRole);
      expect(user.departmentCode !== null).toBe(isDepartmentRole);
      if (user.divisionCode !== null) expect(divisionsByCode.has(user.divisionCode)).toBe(true);
      if (user.departmentCode !== null) expect(departments.has(user.departmentCode)).toBe(true);
      expect(checkPassword(DEMO_PASSWORD, { username: user.username })).toEqual({ ok: true });
    });
    // Searching the user list for a post's name finds the named logins only (org tests rely on it).
    for (const word of ['受理', '值班', '派遣', '监督', '处置']) {
      expect(
        city.users
          .filter((u) => !(DEMO_LOGINS as readonly string[]).includes(u.username))
          .some((u) => u.displayName.includes(word)),
      ).toBe(false);
    }
  });
});

describe('generateDemoCity', () => {
  it('is deterministic per seed', () => {
    expect(generateDemoCity(123)).toEqual(generateDemoCity(123));
    expect(generateDemoCity()).toEqual(generateDemoCity(DEFAULT_DEMO_SEED));
    const a = generateDemoCity(1);
    const b = generateDemoCity(2);
    expect(a.grids.map((g) => g.code)).not.toEqual(b.grids.map((g) => g.code));
  });

  it('keeps the default layout stable', () => {
    const city = generateDemoCity();
    const count = (level: string) => city.divisions.filter((d) => d.level === level).length;
    const areaClasses = { A: 0, B: 0, C: 0 };
    for (const grid of city.grids) areaClasses[grid.areaClass]++;
    expect({
      districts: count('district'),
      streets: count('street'),
      communities: count('community'),
      grids: city.grids.length,
      departments: city.departments.length,
      users: city.users.length,
      supervisors: city.users.filter((u) => u.role === 'supervisor').length,
      areaClasses,
      supervisedGrids: city.users.find((u) => u.username === 'supervisor')?.gridCodes?.length,
      firstStreet: city.divisions.find((d) => d.code === '510104001')?.name,
    }).toEqual({
      districts: 3,
      streets: 12,
      communities: 30,
      grids: 3000,
      departments: 34,
      users: 61,
      supervisors: 30,
      areaClasses: { A: 448, B: 1356, C: 1196 },
      supervisedGrids: 84,
      firstStreet: '牛市口街道',
    });
  });

  it('is fast', () => {
    generateDemoCity(99);
    const started = performance.now();
    generateDemoCity(100);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('rejects non-integer seeds', () => {
    expect(() => generateDemoCity(1.5)).toThrow(RangeError);
  });
});

describe('field crews of the demo responsibility table', () => {
  const city = generateDemoCity();
  it('names a sub-unit of the department it replaces', () => {
    for (const { parent, crew } of Object.values(FIELD_CREWS)) {
      expect(city.departments.find((d) => d.code === crew)?.parentCode).toBe(parent);
    }
  });
  it('replaces only the parent, keeps the other departments and their order', () => {
    expect(withFieldCrews('event', '0110', ['ZF', 'SZ'])).toEqual(['ZF', 'SZ-01']);
    expect(withFieldCrews('component', '0118', ['SZ'])).toEqual(['SZ-03']);
    expect(withFieldCrews('component', '0110', ['SZ'])).toEqual(['SZ']);
    expect(withFieldCrews('event', '0101', ['ZF'])).toEqual(['ZF']);
  });
});
