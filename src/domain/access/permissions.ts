/**
 * One table of role → permissions (domain.md §2). Services ask `can(actor, permission)`;
 * data scope (which divisions / departments) is checked separately in ./scope.ts.
 */
export const ROLES = [
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
  'service',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  leader: { zh: '领导', en: 'Leader' },
  coordinator: { zh: '市级协同平台协调员', en: 'Coordinator' },
  shift_leader: { zh: '值班长', en: 'Shift leader' },
  dispatcher: { zh: '派遣员', en: 'Dispatcher' },
  intake: { zh: '受理员', en: 'Intake operator' },
  supervisor: { zh: '监督员', en: 'Supervisor' },
  department: { zh: '专业部门', en: 'Department' },
  handler: { zh: '处置人员', en: 'Handler' },
  citizen: { zh: '公众', en: 'Citizen' },
  service: { zh: '接口服务账号', en: 'Service account' },
};

/** Roles whose org unit is a department (专业部门) rather than a division. */
export const DEPARTMENT_ROLES: readonly Role[] = ['department', 'handler'];

export const PERMISSIONS = [
  'division.read',
  'division.write',
  'department.read',
  'department.write',
  'user.read',
  'user.write',
  'grid.read',
  'grid.write',
  'audit.read',
  'apikey.manage',
  'catalog.read',
  'catalog.write',
  'component.read',
  'component.write',
  'geocode.read',
  'gazetteer.write',
  'map.read',
  'case.read',
  'case.report',
  'case.act',
  'calendar.read',
  'calendar.write',
  'responsibility.write',
  'patrol.report',
  'patrol.read',
  'export.xlsx',
  'public.moderate',
  'evaluation.read',
  'evaluation.publish',
  // Outsourced collection companies, teams and members (信息采集外包); administrators.
  'collection.write',
  // Channels (12345 hotline systems and limits, camera registry and event mappings); administrators.
  'channel.manage',
  // Collector anti-fraud flags (信息采集质量): reading the review queue, confirming or dismissing.
  'antifraud.review',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Reference data every internal user works with (catalog, grids, components, maps, calendars). */
const REFERENCE_READ: Permission[] = [
  'division.read',
  'grid.read',
  'catalog.read',
  'component.read',
  'geocode.read',
  'map.read',
  'calendar.read',
];
/** Cases: reading (scoped) and acting; which action a role may take is the workflow table's job. */
const CASE_WORK: Permission[] = ['case.read', 'case.report', 'case.act'];
/** Saving a list the console has loaded as .xlsx (what the user may read anyway). */
const EXPORT: Permission[] = ['export.xlsx'];
const CENTER: Permission[] = [
  ...REFERENCE_READ,
  'department.read',
  'user.read',
  ...CASE_WORK,
  'patrol.read',
  ...EXPORT,
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  leader: [...CENTER, 'evaluation.read', 'evaluation.publish', 'antifraud.review'],
  coordinator: [...CENTER, 'evaluation.read'],
  shift_leader: [...CENTER, 'evaluation.read', 'public.moderate', 'antifraud.review'],
  dispatcher: [...CENTER, 'evaluation.read'],
  intake: [...CENTER, 'public.moderate'],
  // Supervisors go on and off duty and upload their own position track (patrol.report). They and
  // handlers read the departments their scope knows (the 案件查询 department filter).
  supervisor: [...REFERENCE_READ, 'department.read', ...CASE_WORK, 'patrol.report'],
  // A department reads its own staff (to assign handlers) and its own evaluation; the services
  // narrow both to the department subtree.
  department: [...REFERENCE_READ, 'department.read', 'user.read', ...CASE_WORK, ...EXPORT, 'evaluation.read'],
  handler: [...REFERENCE_READ, 'department.read', ...CASE_WORK],
  citizen: [],
  service: [...REFERENCE_READ, 'case.read', 'case.report', 'case.act'],
};

export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
