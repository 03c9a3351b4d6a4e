/**
 * The citizens' map gets the city's boundaries without an account: district, street and
 * community tiles carry codes and names only; cases, components and grids stay behind a login.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { decodeTile } from '../map/testkit.js';
import { tileAt } from '../map/tile.js';

const CITY = tileAt(104.06, 30.66, 12);
const url = (layer: string, t = CITY) => `/api/v1/public/map/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt`;

describe.each(testStores())('public boundary tiles (%s)', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('serves districts, streets and communities to anyone, with codes and names only', async () => {
    for (const layer of ['districts', 'streets', 'communities']) {
      const res = await app.inject({ method: 'GET', url: url(layer) });
      expect(res.statusCode, `${layer}: ${res.body}`).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
      expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
      const decoded = decodeTile(res.rawPayload, CITY);
      expect(Object.keys(decoded)).toEqual([layer]);
      const features = decoded[layer]?.features ?? [];
      expect(features.length).toBeGreaterThan(0);
      for (const f of features) {
        expect(Object.keys(f.properties).sort()).toEqual(['code', 'name', 'parentCode']);
      }
      // Revalidation: the same tile again is 304 with its tag.
      const again = await app.inject({
        method: 'GET',
        url: url(layer),
        headers: { 'if-none-match': res.headers.etag as string },
      });
      expect(again.statusCode).toBe(304);
    }
  });

  it('keeps cases, components and grids behind a login, and refuses bad tiles', async () => {
    for (const layer of ['cases', 'components', 'grids']) {
      expectError(await app.inject({ method: 'GET', url: url(layer) }), 404, 'LAYER_UNKNOWN');
    }
    const bad = await app.inject({ method: 'GET', url: '/api/v1/public/map/tiles/districts/12/99999/1.mvt' });
    expect(bad.statusCode).toBe(400);
    const below = await app.inject({ method: 'GET', url: url('communities', tileAt(104.06, 30.66, 6)) });
    expect(below.statusCode).toBe(204);
  });
});
