import type { Kysely } from 'kysely';
import type { DemoCity } from '../domain/demo-city/index.js';
import type { Database } from '../platform/db/schema.js';

/** Demo components (部件) along the demo city's streets. (Filled in by the component module.) */
export async function seedDemoComponents(_trx: Kysely<Database>, _city: DemoCity): Promise<void> {}
