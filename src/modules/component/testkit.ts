/** Shared helpers of the component module's tests. */
import { type Kysely, sql } from 'kysely';
import { DEMO_COMPONENT_KINDS, generateDemoComponents } from '../../domain/component/demo.js';
import { generateDemoCity } from '../../domain/demo-city/index.js';
import type { Database } from '../../platform/db/schema.js';

export const city = generateDemoCity();
export const demo = generateDemoComponents(city);
export const demoById = new Map(demo.map((c) => [c.id, c]));

export type Headers = Record<string, string>;

export interface ErrorBody {
  code: string;
  message: string;
  messages: { zh: string; en: string };
  details: Record<string, unknown> | null;
}

export { expectError } from '../../../test/helpers/errors.js';

/** Rows that any write could touch: nothing may change when a request is refused. */
export async function counts(db: Kysely<Database>) {
  const r = await sql<{ components: number; audit: number }>`
    SELECT (SELECT count(*)::int FROM components) AS components,
           (SELECT count(*)::int FROM audit_log) AS audit`.execute(db);
  return r.rows[0] as { components: number; audit: number };
}

/**
 * The catalog module seeds the national class list; make sure the classes these tests rely
 * on are there whatever its state, so "unknown class" is tested against a non-empty catalog.
 */
export async function ensureCatalog(db: Kysely<Database>) {
  const majors = [
    ['01', '公用设施'],
    ['02', '道路交通'],
    ['03', '市容环境'],
    ['04', '园林绿化'],
  ] as const;
  const minors = Object.values(DEMO_COMPONENT_KINDS).map((k) => [k.categoryCode, k.name] as const);
  for (const scheme of ['gbt30428', 'gbt47678'] as const) {
    for (const [code, name] of majors) {
      await sql`INSERT INTO categories (scheme, kind, level, code, name)
        VALUES (${scheme}, 'component', 'major', ${code}, ${name}) ON CONFLICT DO NOTHING`.execute(db);
    }
    for (const [code30428, name] of minors) {
      const code = scheme === 'gbt30428' ? code30428 : `${code30428.slice(0, 2)}0${code30428.slice(2)}`;
      await sql`INSERT INTO categories (scheme, kind, level, code, name, parent_id)
        SELECT ${scheme}, 'component', 'minor', ${code}, ${name}, id FROM categories
        WHERE scheme = ${scheme} AND kind = 'component' AND code = ${code.slice(0, 2)}
        ON CONFLICT DO NOTHING`.execute(db);
    }
  }
}

/**
 * Distance in metres on the WGS 84 ellipsoid, from the local radii of curvature at the mean
 * latitude: within 0.01% of the geodesic over the few kilometres of the demo city.
 */
export function metres(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const A = 6_378_137;
  const f = 1 / 298.257223563;
  const e2 = f * (2 - f);
  const rad = Math.PI / 180;
  const phi = ((a.lat + b.lat) / 2) * rad;
  const w = Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
  const meridian = (A * (1 - e2)) / w ** 3;
  const normal = A / w;
  return Math.hypot((b.lng - a.lng) * rad * normal * Math.cos(phi), (b.lat - a.lat) * rad * meridian);
}

/** The district a component is visible to: its division, or the district of its grid. */
export const visibleTo = (prefix: string, c: { id: string; gridCode: string }) =>
  c.id.startsWith(prefix) || c.gridCode.startsWith(prefix);
