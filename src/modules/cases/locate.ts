/**
 * Where a report falls: the current grid in scope covering its point, with its community,
 * street and district, answered from memory (the map module's in-memory locator, which answers
 * as grid/repo.ts locatePoint does, boundary rule included) and reloaded when grids or divisions
 * change (platform/db/reference-cache.ts).
 */
import type { Kysely } from 'kysely';
import { cachedReference } from '../../platform/db/reference-cache.js';
import type { Database } from '../../platform/db/schema.js';
import { loadGridLocator } from '../map/locator.js';

async function loadPlaces(db: Kysely<Database>) {
  const locator = await loadGridLocator(db);
  const rows = await db
    .selectFrom('grids as g')
    .innerJoin('divisions as c', 'c.code', 'g.community_code')
    .innerJoin('divisions as s', 's.code', 'c.parent_code')
    .innerJoin('divisions as d', 'd.code', 's.parent_code')
    .select([
      'g.code',
      'g.area_class',
      'c.code as community_code',
      'c.name as community_name',
      's.code as street_code',
      's.name as street_name',
      'd.code as district_code',
      'd.name as district_name',
    ])
    .where('g.valid_to', 'is', null)
    .execute();
  return { locator, places: new Map(rows.map((r) => [r.code, r])) };
}

export async function locateReport(db: Kysely<Database>, lng: number, lat: number, scopePrefix: string) {
  const { locator, places } = await cachedReference(db, 'case-grid-locator', ['grids', 'divisions'], () =>
    loadPlaces(db),
  );
  const code = locator.locate(lng, lat, scopePrefix);
  return code === null ? undefined : places.get(code);
}
