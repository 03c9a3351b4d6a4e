import type { Kysely } from 'kysely';
import type { DemoCity } from '../domain/demo-city/index.js';
import type { Database } from '../platform/db/schema.js';

/** Demo gazetteer (地名地址库): roads, door addresses, POIs. (Filled in by the geocode module.) */
export async function seedDemoGazetteer(_trx: Kysely<Database>, _city: DemoCity): Promise<void> {}
