/** Serving the console from the API process: client settings, deep links, caching, CSP. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore } from '../../../test/helpers/stores.js';
import { DEMO_PASSWORD } from '../../domain/demo-city/index.js';
import type { ApiApp } from './types.js';
import { extraOrigins, isApiPath, isMobilePath } from './web.js';

describe('console serving helpers', () => {
  it('tells API paths from console paths', () => {
    for (const p of ['/api', '/api/v1/cases', '/api/health?x=1', '/open311/v2/services.json']) {
      expect(isApiPath(p)).toBe(true);
    }
    for (const p of ['/', '/cases/12', '/apiary', '/admin/users', '/open3111'])
      expect(isApiPath(p)).toBe(false);
  });

  it('tells mobile app paths from console paths', () => {
    for (const p of ['/m', '/m/', '/m/public/track/ABC', '/m?x=1']) expect(isMobilePath(p)).toBe(true);
    for (const p of ['/', '/map', '/me', '/admin/m/x']) expect(isMobilePath(p)).toBe(false);
  });

  it('allows the configured base map origin, with {s} subdomains as a wildcard', () => {
    expect(extraOrigins(null)).toEqual([]);
    expect(extraOrigins({ url: 'https://tiles.example.cn/{z}/{x}/{y}.png' })).toEqual([
      'https://tiles.example.cn',
    ]);
    expect(extraOrigins({ url: 'http://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&l={z}' })).toEqual([
      'http://*.tianditu.gov.cn',
    ]);
  });
});

describe('console served by the API (postgres)', () => {
  let test: TestStore;
  let app: ApiApp;
  let bare: ApiApp;
  const webDir = inject('webDir');
  beforeAll(async () => {
    test = await openTestStore('postgres');
    app = await testApp(test.store, {
      WEB_DIR: webDir,
      BASEMAP_TILE_URL: 'https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}',
      BASEMAP_ATTRIBUTION: '天地图',
    });
    bare = await testApp(test.store, { WEB_DIR: path.join(webDir, 'no-such-dir') });
  });
  afterAll(async () => {
    await app?.close();
    await bare?.close();
    await test?.dispose();
  });

  it('gives the client settings without a login: base map and the city extent', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/client-config' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.baseMap).toEqual({
      url: 'https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}',
      attribution: '天地图',
    });
    const [w, s, e, n] = body.map.bounds as number[];
    // The demo city lies in central Chengdu.
    expect(w).toBeGreaterThan(103.9);
    expect(e).toBeLessThan(104.3);
    expect(s).toBeGreaterThan(30.5);
    expect(n).toBeLessThan(30.8);
    expect(body.map.center[0]).toBeCloseTo((w! + e!) / 2, 6);
    const none = await bare.inject({ method: 'GET', url: '/api/v1/client-config' });
    expect(none.json().baseMap).toBeNull();
  });

  it('tells the login page the demo password in demo mode only', async () => {
    const demo = await app.inject({ method: 'GET', url: '/api/v1/client-config' });
    expect(demo.json().demo).toEqual({ password: DEMO_PASSWORD });
    const real = await testApp(test.store, { DEMO_SEED: 'false' });
    try {
      const res = await real.inject({ method: 'GET', url: '/api/v1/client-config' });
      expect(res.json().demo).toBeNull();
      expect(res.body).not.toContain(DEMO_PASSWORD);
    } finally {
      await real.close();
    }
  });

  it('answers console URLs with index.html (no-cache) and the CSP allows the base map', async () => {
    for (const url of ['/', '/cases/42', '/admin/users?x=1']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root"></div>');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain('img-src');
      expect(csp).toContain('https://*.tianditu.gov.cn');
    }
  });

  it('serves hashed assets as immutable and keeps unknown API URLs and non-GET requests JSON 404s', async () => {
    const asset = fs.readdirSync(path.join(webDir, 'assets')).find((f) => f.endsWith('.js'));
    const res = await app.inject({ method: 'GET', url: `/assets/${asset}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    for (const [method, url] of [
      ['GET', '/api/v1/nope'],
      ['GET', '/api/nope'],
      ['POST', '/cases/42'],
    ] as const) {
      const r = await app.inject({ method, url });
      expect(r.statusCode, `${method} ${url}`).toBe(404);
      expect(r.json().error.code).toBe('ROUTE_NOT_FOUND');
    }
  });

  it('answers mobile app URLs with the PWA shell; /m moves to /m/; the worker is never cached', async () => {
    for (const url of ['/m/', '/m/s/report', '/m/public/track/ABCDEFGHJK']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<link rel="manifest" href="/m/manifest.webmanifest"');
    }
    const bare = await app.inject({ method: 'GET', url: '/m?from=home' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/m/?from=home');
    const worker = await app.inject({ method: 'GET', url: '/m/sw.js' });
    expect(worker.statusCode).toBe(200);
    expect(worker.headers['cache-control']).toBe('no-cache');
    expect(worker.headers['content-type']).toContain('javascript');
    // The worker precaches exactly files the server serves.
    const precache = JSON.parse(/const PRECACHE = (\[.*\]);/.exec(worker.body)?.[1] ?? '[]') as string[];
    expect(precache).toContain('/m/index.html');
    for (const url of precache) expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    const manifest = await app.inject({ method: 'GET', url: '/m/manifest.webmanifest' });
    expect(manifest.json()).toMatchObject({ start_url: '/m/', scope: '/m/', display: 'standalone' });
    // The console's own pages still get the console.
    expect((await app.inject({ method: 'GET', url: '/map' })).body).not.toContain('manifest.webmanifest');
  });

  it('without a console build the server is the API only', async () => {
    const res = await bare.inject({ method: 'GET', url: '/cases/42' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
    expect((await bare.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });
});
