/** Shared helpers of the covers tests: a demo cover the tests work on, counts. */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

/**
 * A 雨水井盖 (owner 市政设施管理处, maintainer 排水管理所) in a grid of the demo `supervisor`,
 * and a street lamp (a component that is not a cover).
 */
export async function coverInSupervisorGrid(db: Kysely<Database>) {
  const r = await sql<{ id: string; lng: number; lat: number; grid_code: string }>`
    SELECT k.id, ST_X(k.geom) AS lng, ST_Y(k.geom) AS lat, k.grid_code FROM components k
     WHERE k.category_code = '0103'
       AND k.grid_code IN (SELECT sg.grid_code FROM supervisor_grids sg JOIN users u ON u.id = sg.user_id
                            WHERE u.username = 'supervisor')
     ORDER BY k.id LIMIT 1`.execute(db);
  const lamp = await sql<{
    id: string;
  }>`SELECT id FROM components WHERE category_code = '0118' ORDER BY id LIMIT 1`.execute(db);
  const row = r.rows[0];
  if (!row || !lamp.rows[0]) throw new Error('no demo cover in the supervisor grid');
  return { ...row, lampId: lamp.rows[0].id };
}

export async function flowCount(db: Kysely<Database>) {
  return Number(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM cover_flows`.execute(db)).rows[0]?.n,
  );
}
