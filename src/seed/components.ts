import type { Kysely } from 'kysely';
import { generateDemoComponents } from '../domain/component/demo.js';
import type { DemoCity } from '../domain/demo-city/index.js';
import { insertComponentRows } from '../modules/component/repo.js';
import type { Database } from '../platform/db/schema.js';

/** Demo components (部件) along the demo city's streets: ≈ 25,000, same seed → same set. */
export async function seedDemoComponents(trx: Kysely<Database>, city: DemoCity): Promise<void> {
  const components = generateDemoComponents(city);
  await insertComponentRows(
    trx,
    components.map((c) => ({ ...c, scheme: 'gbt30428' as const })),
  );
}
