import { type Kysely, sql } from 'kysely';
import type { DemoCity } from '../domain/demo-city/index.js';
import { normaliseDoorNumber, parseRoadName } from '../domain/geo/address.js';
import { generateDemoGazetteer } from '../domain/geo/demo-gazetteer.js';
import { insertAddresses, insertPois, insertRoads } from '../modules/geocode/repo.js';
import type { Database } from '../platform/db/schema.js';

/**
 * Demo gazetteer (地名地址库): roads along the lattice, door numbers, places and the base map's
 * areas. Runs inside the demo seed transaction after the grids, so every door and place resolves
 * to its grid; names follow the city's districts (a road of 锦江区 lies in 锦江区).
 */
export async function seedDemoGazetteer(trx: Kysely<Database>, city: DemoCity): Promise<void> {
  const g = generateDemoGazetteer(city);
  const roads = await insertRoads(
    trx,
    g.roads.map((r) => {
      const { base, segment } = parseRoadName(r.name);
      return {
        name: r.name,
        baseName: base,
        segment,
        aliases: r.aliases,
        districtCode: r.district,
        geojson: JSON.stringify({ type: 'LineString', coordinates: r.line }),
        roadClass: r.roadClass,
      };
    }),
  );
  const roadIds = new Map(roads.map((r) => [r.name, r.id]));
  await insertAddresses(
    trx,
    g.doors.map((d) => {
      const door = normaliseDoorNumber(d.number);
      const roadId = roadIds.get(d.road);
      if (!door || roadId === undefined) throw new Error(`demo door ${d.road}${d.number} is malformed`);
      return { roadId, number: door.text, numberMain: door.main, lng: d.point[0], lat: d.point[1] };
    }),
  );
  await insertPois(
    trx,
    g.pois.map((p) => ({
      name: p.name,
      aliases: p.aliases,
      category: p.category,
      address: p.address,
      lng: p.point[0],
      lat: p.point[1],
    })),
  );
  for (const a of g.areas) {
    await sql`INSERT INTO gazetteer_areas (name, kind, district_code, geom)
      VALUES (${a.name}, ${a.kind}, ${a.district}::text,
        ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(a.geometry)}), 4326))`.execute(trx);
  }
}
