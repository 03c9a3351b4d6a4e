import { type Kysely, sql } from 'kysely';
import { streetOfficeCode, withFieldCrews } from '../domain/demo-city/index.js';
import { effectiveVersion } from '../modules/catalog/lookup.js';
import type { Database } from '../platform/db/schema.js';

const NOTE_STANDARD = '按标准版本的责任部门预置 / seeded from the standards version';
const NOTE_STREET = '街面秩序由属地街道办事处负责 / street order: the street office of the street';

/**
 * The demo city's responsibility table (责任分解表): a city-wide rule per class from the default
 * departments of the standards version in force (the field crew where one does the work), and the street office (街道办) for every 街面秩序
 * event class (事件大类 05; 47678.5 管理事项 09) in its own street. Needs the catalog and the demo organisation, so it
 * runs after both; writes only into an empty table.
 */
export async function seedResponsibility(db: Kysely<Database>, now = new Date()): Promise<number> {
  if (await db.selectFrom('responsibility_rules').select('id').limit(1).executeTakeFirst()) return 0;
  const city = await db.selectFrom('divisions').select('code').where('level', '=', 'city').executeTakeFirst();
  const version = await effectiveVersion(db, now);
  if (!city || !version) return 0;
  const departments = new Set(
    (await db.selectFrom('departments').select('code').where('active', '=', true).execute()).map(
      (d) => d.code,
    ),
  );
  const standards = await db
    .selectFrom('category_standards as s')
    .innerJoin('categories as c', 'c.id', 's.category_id')
    .select(['c.id', 'c.kind', 'c.code', 'c.scheme', 's.department_codes'])
    .where('s.version_id', '=', version.id)
    .where('c.active', '=', true)
    .orderBy('c.id')
    .execute();
  const rows: Array<{ category_id: number; area_code: string; department_codes: string[]; note: string }> =
    [];
  for (const s of standards) {
    // GB/T 30428.2 classes whose work a field crew does name that crew (demo-city FIELD_CREWS).
    const named =
      s.scheme === 'gbt30428' ? withFieldCrews(s.kind, s.code, s.department_codes) : s.department_codes;
    const codes = named.filter((c) => departments.has(c));
    if (codes.length > 0) {
      rows.push({ category_id: s.id, area_code: city.code, department_codes: codes, note: NOTE_STANDARD });
    }
  }
  const streets = await db
    .selectFrom('divisions')
    .select('code')
    .where('level', '=', 'street')
    .orderBy('code')
    .execute();
  // 街面秩序 is 事件大类 05 in GB/T 30428.2 and 管理事项大类 09 in GB/T 47678.5.
  const streetMajor: Record<string, string> = { gbt30428: '05', gbt47678: '09' };
  const streetOrder = standards.filter(
    (s) =>
      s.kind === 'event' &&
      streetMajor[s.scheme] !== undefined &&
      s.code.startsWith(streetMajor[s.scheme] ?? ''),
  );
  for (const street of streets) {
    const office = streetOfficeCode(street.code);
    if (!departments.has(office)) continue;
    for (const s of streetOrder) {
      rows.push({ category_id: s.id, area_code: street.code, department_codes: [office], note: NOTE_STREET });
    }
  }
  const write = async (trx: Kysely<Database>) => {
    // Two processes seeding one empty database: the second waits, then finds it seeded.
    await sql`SELECT pg_advisory_xact_lock(hashtext('cityloop.seed_responsibility'))`.execute(trx);
    if (await trx.selectFrom('responsibility_rules').select('id').limit(1).executeTakeFirst()) return 0;
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('responsibility_rules')
        .values(rows.slice(i, i + 500))
        .execute();
    }
    return rows.length;
  };
  return db.isTransaction ? write(db) : db.transaction().execute(write);
}
