/**
 * Writes the mobile app's service worker (m/sw.js) once the bundle is known, with the exact list
 * of files the /m/ entry needs, so the app shell opens after a reload without signal.
 *
 * Hand-written rather than vite-plugin-pwa: the worker needs three behaviours (precache the
 * shell, serve navigations from it when offline, keep a copy of a few reference GETs), and
 * workbox-build would add a large dependency tree to every install for that.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

interface Options {
  /** The HTML entry of the app, relative to the Vite root (e.g. m/index.html). */
  entry: string;
  /** URL scope of the app, with trailing slash (e.g. /m/). */
  scope: string;
  /** Folder under the Vite root whose files are published under `scope` (manifest, icons). */
  publicDir: string;
}

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  facadeModuleId: string | null;
  imports: string[];
  dynamicImports: string[];
  viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> };
}

/** The files reachable from the entry chunk: its imports, lazy imports, CSS and assets. */
function reachable(bundle: Record<string, { type: string }>, entry: ChunkLike): string[] {
  const seen = new Set<string>();
  const files = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const item = bundle[name] as ChunkLike | undefined;
    if (item?.type !== 'chunk') return;
    files.add(item.fileName);
    for (const css of item.viteMetadata?.importedCss ?? []) files.add(css);
    for (const asset of item.viteMetadata?.importedAssets ?? []) files.add(asset);
    for (const next of [...item.imports, ...item.dynamicImports]) visit(next);
  };
  visit(entry.fileName);
  return [...files].sort();
}

export function workerSource(version: string, shell: string, precache: string[], scope: string): string {
  return `/* CityLoop field app service worker (generated at build time). */
const VERSION = ${JSON.stringify(version)};
const CACHE = 'cityloop-m-' + VERSION;
const RUNTIME = 'cityloop-m-runtime';
const SHELL = ${JSON.stringify(shell)};
const SCOPE = ${JSON.stringify(scope)};
const PRECACHE = ${JSON.stringify(precache)};
// Reference data the forms need offline: kept from the last successful answer.
const RUNTIME_GETS = [/^\\/api\\/v1\\/client-config$/, /^\\/api\\/v1\\/catalog\\/categories$/, /^\\/api\\/v1\\/public\\/categories$/];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('cityloop-m-') && k !== CACHE && k !== RUNTIME).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request, cacheName, fallbackUrl) {
  try {
    const response = await fetch(request);
    if (response.ok && cacheName) (await caches.open(cacheName)).put(request, response.clone());
    return response;
  } catch (err) {
    const cached = await caches.match(fallbackUrl || request);
    if (cached) return cached;
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    if (url.pathname === SCOPE.slice(0, -1) || url.pathname.startsWith(SCOPE)) {
      event.respondWith(networkFirst(request, null, SHELL));
    }
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
    return;
  }
  if (RUNTIME_GETS.some((re) => re.test(url.pathname))) {
    event.respondWith(networkFirst(request, RUNTIME));
  }
});
`;
}

export function serviceWorker(options: Options): Plugin {
  let root = process.cwd();
  return {
    name: 'cityloop-service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      root = config.root;
    },
    generateBundle(_output, bundle) {
      const entryPath = path.join(root, options.entry);
      const entry = Object.values(bundle).find(
        (b): b is typeof b & ChunkLike =>
          b.type === 'chunk' && (b as unknown as ChunkLike).facadeModuleId === entryPath,
      );
      if (!entry) this.error(`service worker: no chunk for ${options.entry}`);
      const publicDir = path.join(root, options.publicDir);
      const published = fs.existsSync(publicDir)
        ? fs
            .readdirSync(publicDir)
            .filter((f) => f !== 'sw.js')
            .map((f) => `${options.scope}${f}`)
        : [];
      const shell = `/${options.entry}`;
      const files = reachable(bundle as Record<string, { type: string }>, entry as unknown as ChunkLike);
      const precache = [shell, ...published.sort(), ...files.map((f) => `/${f}`)];
      // The worker changes (and the browser installs it again) whenever a precached file does.
      const hash = createHash('sha256').update(precache.join('\n'));
      for (const f of published) hash.update(fs.readFileSync(path.join(publicDir, path.basename(f))));
      const version = hash.digest('hex').slice(0, 12);
      this.emitFile({
        type: 'asset',
        fileName: `${options.scope.replace(/^\/|\/$/g, '')}/sw.js`,
        source: workerSource(version, shell, precache, options.scope),
      });
    },
  };
}
