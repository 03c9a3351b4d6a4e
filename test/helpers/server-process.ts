/**
 * `cityloop` as an operator runs it: the real command in a child process (`node bin/cityloop.mjs
 * …`), for tests that kill, restart or race it. The stores are copies of the test templates, so
 * no test pays for PostGIS creation or seeding.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { StoreKind } from '../../src/platform/db/store.js';
import { PG_ADMIN_URL, PG_TEST_PREFIX, pgUrl, ROOT } from './templates.js';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

/** Kills every child still running (afterAll of the test files that start some). */
export function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** The environment every child gets: API only, quiet, a random port. */
function baseEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: '',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    WEB_BUILD: 'false',
    WEB_DIR: '/nonexistent/cityloop-web',
    ...env,
  };
}

/** Spawns `cityloop start` and resolves once it listens and has printed its banner. */
export function startServer(env: Record<string, string>, timeoutMs = 240_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['bin/cityloop.mjs', 'start'], {
    cwd: ROOT,
    env: baseEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = () => {
      const m = /CityLoop is running: (http:\/\/\S+)/.exec(out);
      if (!m || !/CityLoop: started in /.test(out)) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve({ child, url: m[1] as string, output: () => out, exited });
    };
    child.stdout?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`cityloop start exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
}

/** Runs one `cityloop …` command to its end. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['bin/cityloop.mjs', ...args],
      { cwd: ROOT, env: baseEnv(env), timeout: timeoutMs },
      (err, stdout, stderr) => {
        children.delete(child);
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    children.add(child);
  });
}

export interface ServerStore {
  /** What `cityloop` needs in its environment to use this store. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

async function admin(query: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

/**
 * A private copy of the seeded test template for a server process: a PostgreSQL database, or an
 * embedded data directory (DATA_DIR/pgdata) copied from the PGlite template.
 */
export async function serverStore(kind: StoreKind): Promise<ServerStore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-proc-'));
  if (kind === 'postgres') {
    const name = `${PG_TEST_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
    for (let attempt = 0; ; attempt++) {
      try {
        await admin(`CREATE DATABASE "${name}" TEMPLATE "${inject('pgTemplate')}"`);
        break;
      } catch (err) {
        // Two workers copying the template at the same instant collide (55006); retry briefly.
        if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    return {
      env: { DATABASE_URL: pgUrl(name), DATA_DIR: dataDir },
      async dispose() {
        await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  fs.cpSync(inject('pgliteTemplate'), path.join(dataDir, 'pgdata'), { recursive: true });
  return {
    env: { DATA_DIR: dataDir },
    async dispose() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
