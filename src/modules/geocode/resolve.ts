/**
 * Checks that need the database, for a whole batch at once: the road a door belongs to, the
 * unit grid a point lies in, districts that exist, and duplicates (in the batch and stored).
 */
import { type Kysely, sql } from 'kysely';
import type {
  AddressEntry,
  Entry,
  FieldError,
  GazetteerKind,
  PoiEntry,
  RoadEntry,
} from '../../domain/geo/features.js';
import type { Database } from '../../platform/db/schema.js';
import { type AddressInsert, gridsAt, type PoiInsert, type RoadInsert } from './repo.js';

type Db = Kysely<Database>;
export interface Checked<K extends GazetteerKind> {
  index: number;
  entry: Entry<K>;
  roadId: number;
}

const err = (index: number, field: string, zh: string, en: string): FieldError => ({
  index,
  field,
  message: { zh, en },
});

export function toRoadInsert(e: RoadEntry): RoadInsert {
  return {
    name: e.name,
    baseName: e.baseName,
    segment: e.segment,
    aliases: e.aliases,
    districtCode: e.districtCode,
    geojson: JSON.stringify({ type: 'LineString', coordinates: e.line }),
  };
}
export const toAddressInsert = (e: AddressEntry, roadId: number): AddressInsert => ({
  roadId,
  number: e.number,
  numberMain: e.numberMain,
  lng: e.point[0],
  lat: e.point[1],
});
export const toPoiInsert = (e: PoiEntry): PoiInsert => ({
  name: e.name,
  aliases: e.aliases,
  category: e.category,
  address: e.address,
  lng: e.point[0],
  lat: e.point[1],
});

const pointJson = (p: [number, number]) => JSON.stringify({ type: 'Point', coordinates: p });

async function checkRoads(db: Db, items: Array<{ index: number; entry: RoadEntry }>, selfId?: number) {
  const errors: FieldError[] = [];
  const districts = new Set(
    (await db.selectFrom('divisions').select('code').where('level', '=', 'district').execute()).map(
      (d) => d.code,
    ),
  );
  const grids = await gridsAt(
    db,
    items.map((i) => ({ geojson: toRoadInsert(i.entry).geojson, midpoint: true })),
  );
  const existing = await db
    .selectFrom('gazetteer_roads')
    .select(['id', 'name', 'district_code'])
    .where('name', 'in', items.length ? items.map((i) => i.entry.name) : [''])
    .execute();
  const seen = new Map<string, number>();
  for (const key of existing.filter((r) => r.id !== selfId))
    seen.set(`${key.name}|${key.district_code ?? ''}`, -1);
  items.forEach(({ index, entry }, k) => {
    if (entry.districtCode && !districts.has(entry.districtCode)) {
      errors.push(
        err(
          index,
          'districtCode',
          `区县 ${entry.districtCode} 不存在`,
          `District ${entry.districtCode} does not exist`,
        ),
      );
    }
    // The district a road without one will get (its midpoint's), so duplicates are caught now.
    const district = entry.districtCode ?? grids[k]?.code.slice(0, 6) ?? '';
    const key = `${entry.name}|${district}`;
    const prior = seen.get(key);
    if (prior !== undefined) {
      errors.push(
        prior < 0
          ? err(index, 'name', `道路 ${entry.name} 已存在`, `Road ${entry.name} already exists`)
          : err(
              index,
              'name',
              `道路 ${entry.name} 与第 ${prior} 条重复`,
              `Road ${entry.name} repeats feature ${prior}`,
            ),
      );
    } else seen.set(key, index);
  });
  return errors;
}

async function resolveRoads(db: Db, items: Array<{ index: number; entry: AddressEntry }>) {
  const ids = items.map((i) => i.entry.roadId).filter((x): x is number => x !== null);
  const names = items.map((i) => i.entry.road).filter((x): x is string => x !== null);
  const rows = await sql<{ id: number; name: string; district_code: string | null }>`
    SELECT id, name, district_code FROM gazetteer_roads
    WHERE id = ANY(ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::int))
       OR name = ANY(ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(names)}::jsonb)))`.execute(db);
  return rows.rows;
}

async function checkAddresses(db: Db, items: Array<{ index: number; entry: AddressEntry }>, selfId?: number) {
  const errors: FieldError[] = [];
  const roads = await resolveRoads(db, items);
  const roadIds = new Map<number, number>();
  items.forEach(({ index, entry }) => {
    if (entry.roadId !== null) {
      if (roads.some((r) => r.id === entry.roadId)) roadIds.set(index, entry.roadId);
      else
        errors.push(
          err(index, 'roadId', `道路 ${entry.roadId} 不存在`, `Road ${entry.roadId} does not exist`),
        );
      return;
    }
    const named = roads.filter(
      (r) => r.name === entry.road && (!entry.districtCode || r.district_code === entry.districtCode),
    );
    if (named.length === 1 && named[0]) roadIds.set(index, named[0].id);
    else if (named.length === 0)
      errors.push(err(index, 'road', `道路 ${entry.road} 不存在`, `Road ${entry.road} does not exist`));
    else {
      errors.push(
        err(
          index,
          'road',
          `道路 ${entry.road} 有多条，请给出 districtCode`,
          `Road ${entry.road} is ambiguous; give districtCode`,
        ),
      );
    }
  });
  const grids = await gridsAt(
    db,
    items.map((i) => ({ geojson: pointJson(i.entry.point), midpoint: false })),
  );
  items.forEach(({ index }, k) => {
    if (!grids[k])
      errors.push(
        err(index, 'geometry', '门牌位置不在任何单元网格内', 'The door is not inside any unit grid'),
      );
  });
  const known = roadIds.size
    ? await db
        .selectFrom('gazetteer_addresses')
        .select(['id', 'road_id', 'number'])
        .where('road_id', 'in', [...new Set(roadIds.values())])
        .execute()
    : [];
  const seen = new Map<string, number>();
  for (const a of known.filter((a) => a.id !== selfId)) seen.set(`${a.road_id}|${a.number}`, -1);
  for (const { index, entry } of items) {
    const roadId = roadIds.get(index);
    if (roadId === undefined) continue;
    const key = `${roadId}|${entry.number}`;
    const prior = seen.get(key);
    if (prior === undefined) seen.set(key, index);
    else {
      errors.push(
        prior < 0
          ? err(
              index,
              'number',
              `门牌 ${entry.number} 在该道路上已存在`,
              `Door ${entry.number} already exists on this road`,
            )
          : err(
              index,
              'number',
              `门牌 ${entry.number} 与第 ${prior} 条重复`,
              `Door ${entry.number} repeats feature ${prior}`,
            ),
      );
    }
  }
  return { errors, roadIds };
}

async function checkPois(db: Db, items: Array<{ index: number; entry: PoiEntry }>) {
  const grids = await gridsAt(
    db,
    items.map((i) => ({ geojson: pointJson(i.entry.point), midpoint: false })),
  );
  return items.flatMap(({ index }, k) =>
    grids[k]
      ? []
      : [err(index, 'geometry', '地点不在任何单元网格内', 'The place is not inside any unit grid')],
  );
}

export async function checkEntries<K extends GazetteerKind>(
  db: Db,
  kind: K,
  items: Array<{ index: number; entry: Entry<K> }>,
  selfId?: number,
): Promise<{ entries: Checked<K>[]; errors: FieldError[] }> {
  if (kind === 'addresses') {
    const { errors, roadIds } = await checkAddresses(
      db,
      items as Array<{ index: number; entry: AddressEntry }>,
      selfId,
    );
    return { entries: items.map((i) => ({ ...i, roadId: roadIds.get(i.index) ?? 0 })), errors };
  }
  const errors =
    kind === 'roads'
      ? await checkRoads(db, items as Array<{ index: number; entry: RoadEntry }>, selfId)
      : await checkPois(db, items as Array<{ index: number; entry: PoiEntry }>);
  return { entries: items.map((i) => ({ ...i, roadId: 0 })), errors };
}
