import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';

/**
 * Reference data every deployment needs, demo or not: the national category catalog and a
 * default standards version. Runs at every start; writes only into an empty catalog.
 * (Filled in by the catalog module.)
 */
export async function seedCatalog(_db: Kysely<Database>): Promise<void> {}
