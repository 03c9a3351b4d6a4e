/**
 * Builds the web console (web/ → WEB_DIR) when its sources changed since the last build, so
 * `npm start` on a fresh clone serves the console without a separate build step. The build
 * id is a hash of the sources and the lock file, written next to the output.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB_SRC = path.join(ROOT, 'web');
const BUILD_ID_FILE = '.build-id';

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

/**
 * The console's source identity: every file under web/, the server code it imports (the role
 * table, the workflow's labels and other pure domain code), the lock file.
 */
export function webSourceHash(): string {
  const h = createHash('sha256');
  const files = [
    ...filesUnder(WEB_SRC),
    ...filesUnder(path.join(ROOT, 'src/domain')).filter((f) => !f.endsWith('.test.ts')),
    path.join(ROOT, 'package-lock.json'),
  ];
  for (const f of files) {
    h.update(path.relative(ROOT, f));
    h.update(fs.readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

export function webBuildIsCurrent(outDir: string): boolean {
  const idFile = path.join(outDir, BUILD_ID_FILE);
  return fs.existsSync(idFile) && fs.readFileSync(idFile, 'utf8').trim() === webSourceHash();
}

/** Builds when needed; returns whether a build ran. Throws with Vite's message on failure. */
export async function ensureWebBuilt(
  outDir: string,
  say: (line: string) => void = () => {},
): Promise<boolean> {
  if (!fs.existsSync(path.join(WEB_SRC, 'index.html'))) return false;
  // Vite resolves a relative outDir against web/, the config's root; ours is the caller's cwd.
  outDir = path.resolve(outDir);
  if (webBuildIsCurrent(outDir)) return false;
  const started = performance.now();
  say('CityLoop: building the web console (first start or changed sources)…');
  const hash = webSourceHash();
  const { build } = await import('vite');
  // Built beside the target and swapped in, so a server (or a concurrent test run) never
  // serves a half-written console.
  const building = `${outDir}.building-${process.pid}`;
  // Always the production build (React's development warnings and checks stay out), also when
  // the caller runs under NODE_ENV=test: the tests exercise what operators get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(WEB_SRC, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: building, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  fs.writeFileSync(path.join(building, BUILD_ID_FILE), `${hash}\n`);
  const old = `${outDir}.old-${process.pid}`;
  if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
  fs.renameSync(building, outDir);
  fs.rmSync(old, { recursive: true, force: true });
  say(`CityLoop: web console built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
