/**
 * Open311 services are the catalog's 小类 and 细类 of the active scheme: `E-0102` is the event
 * class 0102, `C-0118` the component class 0118. The 大类 is the service's `group`; keywords, a
 * description, hiding and the attributes (the service definition) are what admins add here.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { activeScheme } from '../catalog/scheme.js';
import type { Choice, Datatype } from './tables.js';

export interface ServiceCode {
  kind: 'component' | 'event';
  code: string;
}

export function parseServiceCode(value: string): ServiceCode | null {
  const m = /^([CE])-([0-9]{4,7})$/.exec(value);
  if (!m) return null;
  return { kind: m[1] === 'C' ? 'component' : 'event', code: m[2] as string };
}

export const serviceCodeOf = (kind: string, code: string) => `${kind === 'component' ? 'C' : 'E'}-${code}`;

function serviceRows(db: Kysely<Database>) {
  return db
    .selectFrom('categories as c')
    .innerJoin('categories as p', 'p.id', 'c.parent_id')
    .leftJoin('categories as g', 'g.id', 'p.parent_id')
    .leftJoin('open311_services as s', 's.category_id', 'c.id')
    .select([
      'c.id',
      'c.kind',
      'c.code',
      'c.name',
      'c.level',
      'p.name as parent_name',
      'g.name as grand_name',
      's.keywords',
      's.description',
      's.hidden',
    ])
    .select((eb) =>
      eb
        .exists(
          eb.selectFrom('open311_attributes as a').select('a.id').whereRef('a.category_id', '=', 'c.id'),
        )
        .as('has_attributes'),
    )
    .where('c.scheme', '=', activeScheme())
    .where('c.level', 'in', ['minor', 'detail'])
    .where('c.active', '=', true);
}

type ServiceRow = Awaited<ReturnType<ReturnType<typeof serviceRows>['execute']>>[number];

function present(r: ServiceRow) {
  const group = r.level === 'detail' ? (r.grand_name ?? r.parent_name) : r.parent_name;
  return {
    service_code: serviceCodeOf(r.kind, r.code),
    service_name: r.name,
    description:
      r.description ??
      (r.level === 'detail' ? `${group} / ${r.parent_name} / ${r.name}` : `${group} / ${r.name}`),
    metadata: Boolean(r.has_attributes),
    type: 'realtime' as const,
    keywords: (r.keywords ?? []).join(', '),
    group,
  };
}

export type Service = ReturnType<typeof present>;

/** GET services: every visible service, in code order. */
export async function listServices(db: Kysely<Database>): Promise<Service[]> {
  const rows = await serviceRows(db)
    .where((eb) => eb.or([eb('s.hidden', 'is', null), eb('s.hidden', '=', false)]))
    .orderBy('c.kind', 'desc')
    .orderBy('c.code')
    .execute();
  return rows.map(present);
}

/** A service by its code (hidden ones too, for admins); null when there is none. */
export async function findService(db: Kysely<Database>, code: string, withHidden = false) {
  const parsed = parseServiceCode(code);
  if (!parsed) return null;
  const row = await serviceRows(db)
    .where('c.kind', '=', parsed.kind)
    .where('c.code', '=', parsed.code)
    .executeTakeFirst();
  if (!row || (row.hidden && !withHidden)) return null;
  return {
    categoryId: row.id,
    kind: parsed.kind,
    code: parsed.code,
    hidden: Boolean(row.hidden),
    ...present(row),
  };
}

export interface Attribute {
  variable: boolean;
  code: string;
  datatype: Datatype;
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values?: Choice[];
}

export async function attributesOf(db: Kysely<Database>, categoryId: number): Promise<Attribute[]> {
  const rows = await db
    .selectFrom('open311_attributes')
    .selectAll()
    .where('category_id', '=', categoryId)
    .orderBy('position')
    .orderBy('code')
    .execute();
  return rows.map((a) => ({
    variable: a.variable,
    code: a.code,
    datatype: a.datatype,
    required: a.required,
    datatype_description: a.datatype_description,
    order: a.position,
    description: a.description,
    ...(a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist' ? { values: a.choices } : {}),
  }));
}

/** GET services/{code}: the service definition. */
export async function serviceDefinition(db: Kysely<Database>, code: string) {
  const service = await findService(db, code);
  if (!service) throw new AppError('OPEN311_SERVICE_UNKNOWN', { details: { service_code: code } });
  return { service_code: service.service_code, attributes: await attributesOf(db, service.categoryId) };
}
