export type AreaClass = 'A' | 'B' | 'C';

/** [lng, lat] pairs, closed (first == last), counter-clockwise exterior. */
export type Ring = Array<[number, number]>;

export type DemoDivisionLevel = 'city' | 'district' | 'street' | 'community';

export interface DemoDivision {
  code: string;
  name: string;
  level: DemoDivisionLevel;
  parentCode: string | null;
}

export interface DemoGrid {
  code: string;
  communityCode: string;
  seq: number;
  ring: Ring;
  areaClass: AreaClass;
}

export interface DemoDepartment {
  code: string;
  name: string;
  parentCode: string | null;
  divisionCode: string;
}

export type DemoRole =
  | 'admin'
  | 'leader'
  | 'coordinator'
  | 'shift_leader'
  | 'dispatcher'
  | 'intake'
  | 'supervisor'
  | 'department'
  | 'handler'
  | 'citizen';

export interface DemoUser {
  username: string;
  displayName: string;
  role: DemoRole;
  divisionCode: string | null;
  departmentCode: string | null;
  phone: string;
  gridCodes?: string[];
}

export interface DemoCity {
  seed: number;
  divisions: DemoDivision[];
  grids: DemoGrid[];
  departments: DemoDepartment[];
  users: DemoUser[];
}
