/** Shared helpers of the cases tests (HTTP through app.inject, demo users, store data). */
import { sql } from 'kysely';
import { expect } from 'vitest';
import { bearer } from '../../../test/helpers/app.js';
import type { Store } from '../../platform/db/store.js';
import type { ApiApp } from '../../platform/http/types.js';
import { activeScheme } from '../catalog/scheme.js';

export const USERS = [
  'admin',
  'leader',
  'shiftlead',
  'dispatcher',
  'intake',
  'intake2',
  'supervisor',
  'dept',
  'handler',
  'citizen',
] as const;
export type DemoUser = (typeof USERS)[number];
export type Tokens = Record<DemoUser, { authorization: string }>;

export async function loginAll(app: ApiApp): Promise<Tokens> {
  const entries = await Promise.all(USERS.map(async (u) => [u, await bearer(app, u)] as const));
  return Object.fromEntries(entries) as Tokens;
}

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export { expectError } from '../../../test/helpers/errors.js';

/** Store data the tests build cases from: a point in the supervisor's grid and another district. */
export async function fixtures(store: Store) {
  const point = async (where: ReturnType<typeof sql>) => {
    const r = await sql<{ code: string; lng: number; lat: number; area_class: string }>`
      SELECT g.code, g.area_class, ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat
      FROM grids g WHERE ${where} ORDER BY g.code LIMIT 1`.execute(store.db);
    const row = r.rows[0];
    if (!row) throw new Error('no grid for fixture');
    return row;
  };
  const supervised = await point(
    sql`g.code IN (SELECT sg.grid_code FROM supervisor_grids sg JOIN users u ON u.id = sg.user_id WHERE u.username = 'supervisor')`,
  );
  // Every demo grid has a supervisor: this one is another supervisor's grid of the same district.
  const sameDistrictOther = await point(
    sql`g.code LIKE '510104%' AND g.code NOT IN (SELECT sg.grid_code FROM supervisor_grids sg JOIN users u ON u.id = sg.user_id WHERE u.username = 'supervisor')`,
  );
  const otherDistrict = await point(sql`g.code LIKE '510105%'`);
  // An event 小类 of the active scheme whose standard sets a handle limit.
  const cat = await sql<{ code: string; id: number }>`
    SELECT c.code, c.id FROM categories c
    WHERE c.scheme = ${activeScheme()} AND c.kind = 'event' AND c.level = 'minor' AND c.active
      AND EXISTS (SELECT 1 FROM category_time_limits l WHERE l.category_id = c.id AND l.step = 'handle')
    ORDER BY c.code LIMIT 1`.execute(store.db);
  const category = cat.rows[0];
  if (!category) throw new Error('no category with time limits in the store');
  return { supervised, sameDistrictOther, otherDistrict, category };
}

export type Fixtures = Awaited<ReturnType<typeof fixtures>>;

export function client(app: ApiApp, tokens: Tokens) {
  const call = async (
    user: DemoUser,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ) =>
    app.inject({
      method,
      url,
      headers: tokens[user],
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const version = async (id: number) =>
    (await call('admin', 'GET', `/api/v1/cases/${id}`)).json().version as number;
  return {
    call,
    version,
    async upload(user: DemoUser = 'supervisor') {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/media',
        headers: { ...tokens[user], 'content-type': 'image/png' },
        payload: PNG,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().sha256 as string;
    },
    async report(user: DemoUser, body: Record<string, unknown>) {
      const res = await call(user, 'POST', '/api/v1/cases', body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    },
    /** Acts with the current version; returns the raw response. */
    async act(user: DemoUser, id: number, action: string, body: Record<string, unknown> = {}) {
      return call(user, 'POST', `/api/v1/cases/${id}/actions/${action}`, {
        version: await version(id),
        ...body,
      });
    },
    /** Acts and expects success; returns the case. */
    async ok(user: DemoUser, id: number, action: string, body: Record<string, unknown> = {}) {
      const res = await call(user, 'POST', `/api/v1/cases/${id}/actions/${action}`, {
        version: await version(id),
        ...body,
      });
      expect(res.statusCode, `${user} ${action}: ${res.body}`).toBe(200);
      return res.json();
    },
  };
}
