import type { ColumnType, Generated } from 'kysely';
import type { Geometry, Timestamp } from '../../platform/db/schema.js';

/** text[] columns: written as a JS array, read back as one. */
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface GazetteerRoadsTable {
  id: Generated<number>;
  name: string;
  base_name: string;
  segment: string | null;
  aliases: TextArray;
  district_code: string | null;
  geom: Geometry;
  length_m: number;
  road_class: ColumnType<'main' | 'secondary' | 'minor' | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GazetteerAddressesTable {
  id: Generated<number>;
  road_id: number;
  number: string;
  number_main: number;
  geom: Geometry;
  grid_code: string | null;
  community_code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GazetteerPoisTable {
  id: Generated<number>;
  name: string;
  aliases: TextArray;
  category: string;
  address: string | null;
  geom: Geometry;
  grid_code: string | null;
  community_code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Areas of the base map (parks, water): polygons, or centre lines for rivers. */
export interface GazetteerAreasTable {
  id: Generated<number>;
  name: string;
  kind: 'park' | 'water';
  district_code: string | null;
  geom: Geometry;
  created_at: Timestamp;
}

export interface GazetteerTables {
  gazetteer_areas: GazetteerAreasTable;
  gazetteer_roads: GazetteerRoadsTable;
  gazetteer_addresses: GazetteerAddressesTable;
  gazetteer_pois: GazetteerPoisTable;
}
