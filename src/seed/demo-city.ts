import { type Kysely, sql } from 'kysely';
import { scopePrefixOf } from '../domain/codes.js';
import { DEMO_PASSWORD, type DemoCity, generateDemoCity } from '../domain/demo-city/index.js';
import { hashPassword } from '../modules/auth/crypto.js';
import { seedOfficialDays } from '../modules/calendar/official-days.js';
import { recomputeBoundaries } from '../modules/grid/boundaries.js';
import type { Database } from '../platform/db/schema.js';
import type { Store } from '../platform/db/store.js';
import { seedCatalog } from './catalog.js';
import { seedDemoCollection } from './collection.js';
import { seedDemoComponents } from './components.js';
import { seedDemoGazetteer } from './gazetteer.js';
import { seedResponsibility } from './responsibility.js';

export async function isSeeded(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('divisions').select('code').limit(1).executeTakeFirst();
  return !!row;
}

const GRID_BATCH = 400;

async function insertDivisions(trx: Kysely<Database>, city: DemoCity) {
  const order = ['city', 'district', 'street', 'community'] as const;
  for (const level of order) {
    const rows = city.divisions.filter((d) => d.level === level);
    await trx
      .insertInto('divisions')
      .values(
        rows.map((d) => ({
          code: d.code,
          name: d.name,
          level: d.level,
          parent_code: d.parentCode,
          scope_prefix: scopePrefixOf(d.code) ?? d.code,
        })),
      )
      .execute();
  }
}

async function insertGrids(trx: Kysely<Database>, city: DemoCity) {
  for (let i = 0; i < city.grids.length; i += GRID_BATCH) {
    const batch = city.grids.slice(i, i + GRID_BATCH);
    const values = sql.join(
      batch.map(
        (g) =>
          sql`(${g.code}, ${g.communityCode}, ${g.seq}::int, ${g.areaClass}, ${JSON.stringify({ type: 'Polygon', coordinates: [g.ring] })})`,
      ),
    );
    await sql`
      INSERT INTO grids (code, community_code, seq, area_class, geom, area_m2)
      SELECT v.code, v.community, v.seq, v.area_class, x.geom, ST_Area(x.geom::geography)
      FROM (VALUES ${values}) AS v(code, community, seq, area_class, geojson)
      CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(v.geojson), 4326) AS geom) x`.execute(trx);
  }
}

async function insertDepartments(trx: Kysely<Database>, city: DemoCity) {
  const ids = new Map<string, { id: number; path: string }>();
  // Parents come first in the generated list; loop until all are placed to be safe either way.
  let pending = [...city.departments];
  while (pending.length > 0) {
    const ready = pending.filter((d) => d.parentCode === null || ids.has(d.parentCode));
    if (ready.length === 0) throw new Error('demo departments have a missing parent');
    for (const d of ready) {
      const parent = d.parentCode ? ids.get(d.parentCode) : undefined;
      const row = await trx
        .insertInto('departments')
        .values({
          code: d.code,
          name: d.name,
          parent_id: parent?.id ?? null,
          path: '/',
          division_code: d.divisionCode,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const path = `${parent?.path ?? '/'}${row.id}/`;
      await trx.updateTable('departments').set({ path }).where('id', '=', row.id).execute();
      ids.set(d.code, { id: row.id, path });
    }
    pending = pending.filter((d) => !ready.includes(d));
  }
  return ids;
}

async function insertUsers(trx: Kysely<Database>, city: DemoCity, departments: Map<string, { id: number }>) {
  // One hash for all demo accounts: they share the printed demo password anyway.
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const u of city.users) {
    const row = await trx
      .insertInto('users')
      .values({
        username: u.username,
        display_name: u.displayName,
        role: u.role,
        division_code: u.divisionCode,
        department_id: u.departmentCode ? (departments.get(u.departmentCode)?.id ?? null) : null,
        phone: u.phone,
        password_hash: hash,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (u.gridCodes?.length) {
      await trx
        .insertInto('supervisor_grids')
        .values(u.gridCodes.map((grid_code) => ({ user_id: row.id, grid_code })))
        .execute();
    }
  }
}

/** Writes the demo city into an empty store in one transaction (all or nothing). */
export async function seedDemoCity(store: Store, seed?: number): Promise<DemoCity> {
  const city = generateDemoCity(seed);
  await store.db.transaction().execute(async (trx) => {
    await insertDivisions(trx, city);
    await insertGrids(trx, city);
    await recomputeBoundaries(trx, 'all');
    const departments = await insertDepartments(trx, city);
    await insertUsers(trx, city, departments);
    await seedDemoCollection(trx, city);
    await seedCatalog(trx);
    await seedOfficialDays(trx);
    await seedResponsibility(trx);
    await seedDemoComponents(trx, city);
    await seedDemoGazetteer(trx, city);
    await trx
      .insertInto('audit_log')
      .values({
        actor_name: 'system',
        action: 'system.seed_demo',
        details: JSON.stringify({
          seed: city.seed,
          divisions: city.divisions.length,
          grids: city.grids.length,
          departments: city.departments.length,
          users: city.users.length,
        }),
      })
      .execute();
  });
  return city;
}
