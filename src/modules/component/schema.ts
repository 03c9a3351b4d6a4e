import { z } from 'zod';
import { isCalendarDate } from '../../domain/component/record.js';
import { ACCURACY_CLASSES, COMPONENT_STATES } from '../../domain/component/states.js';
import { queryInt } from '../../platform/http/ids.js';

/** A decimal number in a query string; an empty value is missing, not 0. */
const DECIMAL = '-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)';
const queryNumber = (schema: z.ZodNumber) =>
  z
    .string()
    .regex(new RegExp(`^${DECIMAL}$`), 'a decimal number')
    .transform(Number)
    .pipe(schema);
const lng = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);

export const componentId = z.string().regex(/^\d{16,17}$/, '16 or 17 digits');
const departmentCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'a department code');
const date = z.string().refine(isCalendarDate, 'a date as YYYY-MM-DD');
const category = z
  .string()
  .regex(/^\d{2}(\d{2,3})?$/, 'major (2 digits) or minor (4 or 5 digits) class code');

export const filterQuery = {
  id: componentId.optional(),
  idPrefix: z
    .string()
    .regex(/^\d{1,17}$/, '1 to 17 digits')
    .optional(),
  category: category.optional(),
  state: z.enum(COMPONENT_STATES).optional(),
  grid: z
    .string()
    .regex(/^\d{4,15}$/, 'a grid or division code')
    .optional(),
  department: departmentCode.optional(),
  departmentRole: z.enum(['managing', 'owning', 'maintaining']).optional(),
  bbox: z
    .string()
    .regex(new RegExp(`^${DECIMAL},${DECIMAL},${DECIMAL},${DECIMAL}$`), 'west,south,east,north')
    .transform((s) => s.split(',').map(Number) as [number, number, number, number])
    .refine(
      ([w, s, e, n]) => w >= -180 && e <= 180 && s >= -90 && n <= 90 && w <= e && s <= n,
      'west ≤ east and south ≤ north, in WGS84 degrees',
    )
    .optional(),
};

const roleNeedsDepartment = (q: { department?: string | undefined; departmentRole?: string | undefined }) =>
  q.departmentRole === undefined || q.department !== undefined;

export const listQuery = z
  .strictObject({
    ...filterQuery,
    limit: queryInt(1, 500).default(50),
    offset: queryInt(0).default(0),
  })
  .refine(roleNeedsDepartment, { message: 'departmentRole needs department', path: ['departmentRole'] });

export const exportQuery = z
  .strictObject({ ...filterQuery, format: z.enum(['csv', 'xlsx', 'geojson']) })
  .refine(roleNeedsDepartment, { message: 'departmentRole needs department', path: ['departmentRole'] });

export const nearestQuery = z.strictObject({
  lng: queryNumber(lng),
  lat: queryNumber(lat),
  limit: queryInt(1, 100).default(10),
  category: category.optional(),
});

export const importQuery = z.strictObject({
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .default(false),
});

const location = z.strictObject({ lng, lat });

export const createBody = z.strictObject({
  id: z.string().max(20).optional(),
  categoryCode: z.string().max(10).optional(),
  divisionCode: z.string().max(12).optional(),
  name: z.string().trim().min(1).max(60),
  location,
  gridCode: z.string().max(20).optional(),
  managingDepartment: departmentCode.optional(),
  owningDepartment: departmentCode.optional(),
  maintainingDepartment: departmentCode.optional(),
  state: z.enum(COMPONENT_STATES).default('intact'),
  startDate: date.optional(),
  changeDate: date.optional(),
  dataSource: z.string().trim().min(1).max(60).optional(),
  accuracyClass: z.enum(ACCURACY_CLASSES).optional(),
  note: z.string().trim().max(500).optional(),
});

export const patchBody = z
  .strictObject({
    name: z.string().trim().min(1).max(60).optional(),
    state: z.enum(COMPONENT_STATES).optional(),
    managingDepartment: departmentCode.nullable().optional(),
    owningDepartment: departmentCode.nullable().optional(),
    maintainingDepartment: departmentCode.nullable().optional(),
    location: location.optional(),
    gridCode: z
      .string()
      .regex(/^\d{15}$/, 'a 15-digit grid code')
      .optional(),
    startDate: date.nullable().optional(),
    changeDate: date.optional(),
    dataSource: z.string().trim().min(1).max(60).nullable().optional(),
    accuracyClass: z.enum(ACCURACY_CLASSES).nullable().optional(),
    note: z.string().trim().max(500).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'at least one attribute to change');
