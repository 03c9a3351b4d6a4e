import type { ColumnType } from 'kysely';
import type { Timestamp } from '../../platform/db/schema.js';

/** migrations/0015_collection.sql */
export interface CollectionCompaniesTable {
  code: string;
  name: string;
  /** numeric: the driver returns text; Number() it. */
  contract_daily_hours: ColumnType<string, number | string, number | string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CollectionTeamsTable {
  code: string;
  company_code: string;
  name: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CollectionTeamMembersTable {
  user_id: number;
  team_code: string;
  since: Timestamp;
}

/** Tables of the collection (信息采集外包) module. */
export interface CollectionTables {
  collection_companies: CollectionCompaniesTable;
  collection_teams: CollectionTeamsTable;
  collection_team_members: CollectionTeamMembersTable;
}
