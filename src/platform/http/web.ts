/**
 * The web console is served by the API process (one process is the whole product): the
 * built files of `web/` at /, every other non-API GET answered with index.html so the
 * console's own router can show the page, and the public client settings it starts from.
 * The field and citizen app (PWA) lives under /m/ with its own index.html and service worker.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { sql } from 'kysely';
import { DEMO_PASSWORD } from '../../domain/demo-city/index.js';
import type { ApiApp, Deps } from './types.js';

/** Paths that are never console pages: an unknown API URL must stay a JSON 404. */
export const isApiPath = (url: string) => /^\/(api|open311)(\/|$|\?)/.test(url);

/** Paths of the mobile app (PWA), answered with m/index.html. */
export const isMobilePath = (url: string) => /^\/m(\/|$|\?)/.test(url);
const MOBILE_INDEX = 'm/index.html';
/** The mobile app's service worker: its scope is /m/, where it lives, so no wider header is needed. */
const MOBILE_WORKER = `${path.sep}m${path.sep}sw.js`;

export function webIndexOf(webDir: string): string | null {
  const index = path.join(webDir, 'index.html');
  return fs.existsSync(index) ? index : null;
}

/** Origins the browser may load from besides the server itself (the configured base map). */
export function extraOrigins(baseMap: Deps['config']['baseMap']): string[] {
  if (!baseMap) return [];
  try {
    // Subdomain templates such as https://t{s}.tianditu.gov.cn allow the whole parent domain.
    const host = new URL(baseMap.url.replace(/\{s\}/g, 'x')).host;
    const proto = baseMap.url.startsWith('https') ? 'https:' : 'http:';
    return [
      baseMap.url.includes('{s}') ? `${proto}//*.${host.split('.').slice(1).join('.')}` : `${proto}//${host}`,
    ];
  } catch {
    return [];
  }
}

/** The city's extent for the first map view, from the district boundaries. */
async function cityExtent(deps: Deps): Promise<[number, number, number, number] | null> {
  const r = await sql<{ w: number | null; s: number | null; e: number | null; n: number | null }>`
    SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n
      FROM (SELECT ST_Extent(boundary)::geometry AS x FROM divisions WHERE level = 'district') t`.execute(
    deps.store.db,
  );
  const row = r.rows[0];
  return row && row.w !== null && row.s !== null && row.e !== null && row.n !== null
    ? [row.w, row.s, row.e, row.n]
    : null;
}

export async function webRoutes(app: ApiApp, deps: Deps): Promise<void> {
  let extent: Promise<[number, number, number, number] | null> | null = null;
  app.get(
    '/api/v1/client-config',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Settings the web console starts from (base map, first view, demo mode)',
      },
    },
    async () => {
      // Boundaries change through imports only; the first answer is kept, a failure retried.
      extent ??= cityExtent(deps).catch((err) => {
        extent = null;
        throw err;
      });
      const bounds = await extent;
      const center: [number, number] = bounds
        ? [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2]
        : [104.066, 30.657];
      return {
        baseMap: deps.config.baseMap,
        map: { center, zoom: bounds ? 11 : 10, bounds },
        // The shared demo password is shown on the login page in demo mode only.
        demo: deps.config.demoSeed ? { password: DEMO_PASSWORD } : null,
      };
    },
  );

  const index = webIndexOf(deps.config.webDir);
  if (!index) {
    app.log.warn({ webDir: deps.config.webDir }, 'web console not built: serving the API only');
    return;
  }
  await app.register(fastifyStatic, {
    root: deps.config.webDir,
    prefix: '/',
    wildcard: false,
    index: false,
    setHeaders(res, file) {
      // Vite puts a content hash in every asset name: those never change; index.html always may.
      res.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      // The browser checks the worker for updates on every visit; it must never come from a cache.
      if (file.endsWith(MOBILE_WORKER)) res.header('service-worker-allowed', '/m/');
    },
  });
}

/**
 * Answers a console URL (e.g. /cases/12 after a reload) with the console's index.html, and a
 * mobile app URL (/m/report, /m/public/track) with the PWA's. `/m` itself moves to `/m/`, the
 * scope of the app's service worker.
 */
export function sendConsole(reply: import('fastify').FastifyReply, webDir: string) {
  const url = reply.request.url;
  const mobile = isMobilePath(url) && fs.existsSync(path.join(webDir, MOBILE_INDEX));
  if (mobile && /^\/m(\?|$)/.test(url)) return reply.redirect(`/m/${url.slice(2)}`, 301);
  return reply
    .header('cache-control', 'no-cache')
    .type('text/html; charset=utf-8')
    .sendFile(mobile ? MOBILE_INDEX : 'index.html', webDir);
}
