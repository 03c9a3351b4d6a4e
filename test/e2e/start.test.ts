/**
 * The product start, as an operator runs it: `node bin/cityloop.mjs start` in a child process,
 * talked to over real HTTP.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD, generateDemoCity } from '../../src/domain/demo-city/index.js';
import { PG_ADMIN_URL, pgUrl, ROOT } from '../helpers/templates.js';

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  startSeconds: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

/** Spawns `cityloop start` and resolves once it has printed its URL and banner. */
// The first embedded start creates PostGIS and seeds the city: ~40 s on a quiet 2-core machine,
// several times that when the other test worker is driving a browser.
function start(env: Record<string, string>, timeoutMs = 300_000): Promise<Running> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/cityloop.mjs', 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // The console build of this source version, made once by global-setup.
      WEB_BUILD: 'false',
      WEB_DIR: inject('webDir'),
      ...env,
    },
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
    const timer = setTimeout(() => reject(new Error(`no URL within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = () => {
      const m = /CityLoop is running: (http:\/\/\S+)/.exec(out);
      // The banner is complete once the start time is printed.
      if (!m || !/CityLoop: started in /.test(out)) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve({
        child,
        url: m[1] as string,
        output: () => out,
        startSeconds: (performance.now() - t0) / 1000,
        exited,
      });
    };
    child.stdout?.on('data', onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`cityloop start exited (${code}) before listening:\n${out}`));
    });
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return Math.round(kb / 1024);
}

async function stop(r: Running) {
  r.child.kill('SIGTERM');
  return r.exited;
}

async function login(url: string, username: string, password = DEMO_PASSWORD) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, client: 'app' }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('cityloop start (embedded store)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-e2e-'));
  // A template cache of this test's own: the first start makes the template, as on a new install.
  const templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-e2e-template-'));
  const copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-e2e-copy-'));
  afterAll(() => {
    // A start that timed out may still be writing there.
    for (const child of children) child.kill('SIGKILL');
    for (const d of [dataDir, templateDir, copyDir])
      fs.rmSync(d, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });
  const all = generateDemoCity().users;
  // The named logins are printed and tried; of the rest of the staff one per post is tried.
  const logins: readonly string[] = DEMO_LOGINS;
  const users = all.filter((u) => logins.includes(u.username));
  const staff = all.filter(
    (u, i) =>
      !logins.includes(u.username) &&
      all.findIndex((x) => x.role === u.role && !logins.includes(x.username)) === i,
  );
  const figures: Record<string, number> = {};

  it('first start migrates, seeds, serves, and stops gracefully on SIGTERM', {
    timeout: 360_000,
  }, async () => {
    const r = await start({ DATA_DIR: dataDir, EMBEDDED_TEMPLATE_DIR: templateDir });
    figures.firstStartSeconds = r.startSeconds;
    const out = r.output();
    expect(out).toContain(`opening embedded store in ${dataDir}`);
    expect(out).toMatch(/applied migrations 0001_org, 0002_grids/);
    expect(out).toContain('seeding the demo city (first start)');
    expect(out).toMatch(/demo city ready — \d+ divisions, 3000 unit grids/);
    expect(out).toContain(`password for all: ${DEMO_PASSWORD}`);
    for (const u of users) expect(out).toMatch(new RegExp(`^ +${u.username} `, 'm'));
    // Dozens of staff are counted, not listed.
    expect(out).toContain(
      `+ ${all.length - users.length} more staff, same password (${all.length} accounts in all)`,
    );
    for (const u of staff) expect(out).not.toMatch(new RegExp(`^ +${u.username} `, 'm'));
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const health = await fetch(`${r.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok', store: 'pglite' });
    // The same process serves the web console, also on a deep link.
    expect(out).toContain(`Console:   ${r.url}`);
    const page = await fetch(`${r.url}/cases/1`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"></div>');

    let adminToken = '';
    for (const u of [...users, ...staff]) {
      const res = await login(r.url, u.username);
      expect(res.status, `${u.username}: ${JSON.stringify(res.body)}`).toBe(200);
      const me = await fetch(`${r.url}/api/v1/auth/me`, {
        headers: { authorization: `Bearer ${res.body.token}` },
      });
      expect(((await me.json()) as { user: { username: string } }).user.username).toBe(u.username);
      if (u.username === 'admin') adminToken = String(res.body.token);
    }
    const wrong = await login(r.url, 'admin', 'nope-nope');
    expect(wrong.status).toBe(401);
    expect((wrong.body.error as { code: string }).code).toBe('INVALID_CREDENTIALS');

    // Something to find again after the restart.
    const created = await fetch(`${r.url}/api/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'persisted',
        displayName: '持久',
        role: 'intake',
        divisionCode: '510104',
        password: 'Gx7#kLq9!mWz2026',
      }),
    });
    expect(created.status).toBe(201);

    figures.firstRssMb = rssMb(r.child.pid as number);
    const exit = await stop(r);
    expect(exit).toEqual({ code: 0, signal: null });
    await expect(fetch(`${r.url}/api/health`)).rejects.toThrow();
  });

  it('a second start on the same DATA_DIR keeps the data and does not seed again', {
    timeout: 360_000,
  }, async () => {
    expect(figures.firstStartSeconds).toBeDefined();
    // Logging at info, output not a terminal: JSON log lines, but never one inside the banner.
    const r = await start({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    figures.secondStartSeconds = r.startSeconds;
    const out = r.output();
    expect(out).toMatch(/^\{"level":30,.*"msg":"Server listening at/m);
    const banner = out.slice(out.indexOf('CityLoop is running'), out.indexOf('Press Ctrl+C'));
    expect(banner).toContain('API docs:');
    expect(banner).not.toMatch(/^\{/m);
    expect(out).not.toMatch(/seeding/i);
    expect(out).not.toContain('applied migrations');
    const health = await fetch(`${r.url}/api/health`);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    expect((await login(r.url, 'persisted', 'Gx7#kLq9!mWz2026')).status).toBe(200);
    const admin = await login(r.url, 'admin');
    const grids = await fetch(`${r.url}/api/v1/grids?limit=5000`, {
      headers: { authorization: `Bearer ${admin.body.token}` },
    });
    const all = (await grids.json()) as { features: unknown[]; total: number; nextOffset: number | null };
    expect(all.features).toHaveLength(3000);
    expect(all).toMatchObject({ total: 3000, nextOffset: null });
    figures.secondRssMb = rssMb(r.child.pid as number);
    expect(await stop(r)).toEqual({ code: 0, signal: null });
  });

  it('a first start on another empty DATA_DIR copies the template the first one made', {
    timeout: 360_000,
  }, async () => {
    expect(fs.readdirSync(templateDir).filter((d) => /^pglite-[0-9a-f]+$/.test(d))).toHaveLength(1);
    const r = await start({ DATA_DIR: copyDir, EMBEDDED_TEMPLATE_DIR: templateDir });
    figures.copiedStartSeconds = r.startSeconds;
    const out = r.output();
    expect(out).toMatch(/demo city copied from the prepared template \(pglite-[0-9a-f]+\)/);
    expect(out).not.toMatch(/seeding/i);
    expect(out).not.toContain('applied migrations');
    expect(fs.existsSync(path.join(copyDir, 'pgdata', 'PG_VERSION'))).toBe(true);
    // The city of the template, and nothing of the first data directory's later life.
    expect((await login(r.url, 'admin')).status).toBe(200);
    expect((await login(r.url, 'persisted', 'Gx7#kLq9!mWz2026')).status).toBe(401);
    const health = await fetch(`${r.url}/api/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok', store: 'pglite' });
    expect(await stop(r)).toEqual({ code: 0, signal: null });

    console.log(
      `[e2e figures] embedded store: first start ${figures.firstStartSeconds?.toFixed(1)} s, second start ${figures.secondStartSeconds?.toFixed(1)} s, first start from the template ${figures.copiedStartSeconds?.toFixed(1)} s, server RSS ${figures.firstRssMb} MB (first run), ${figures.secondRssMb} MB (second run)`,
    );
  });
});

describe('cityloop start (PostgreSQL)', () => {
  // Not under the shared test prefix: a concurrent run's global setup drops those.
  const name = `cle2e_${process.pid}_${Date.now()}`;
  const admin = async (query: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    try {
      await c.query(query);
    } finally {
      await c.end();
    }
  };
  beforeAll(() => admin(`CREATE DATABASE "${name}"`));
  afterAll(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

  it('starts on an empty PostgreSQL database, seeds it and reports store postgres', {
    timeout: 360_000,
  }, async () => {
    const r = await start({ DATABASE_URL: pgUrl(name), DATA_DIR: os.tmpdir() });
    const out = r.output();
    expect(out).toContain('connecting to PostgreSQL');
    expect(out).toContain('seeding the demo city (first start)');
    const health = await fetch(`${r.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok', store: 'postgres' });
    expect((await login(r.url, 'intake')).status).toBe(200);
    const rss = rssMb(r.child.pid as number);
    expect(await stop(r)).toEqual({ code: 0, signal: null });
    console.log(
      `[e2e figures] PostgreSQL store: first start ${r.startSeconds.toFixed(1)} s, server RSS ${rss} MB`,
    );
  });

  it('a port already in use fails the start with exit code 1 instead of hanging', {
    timeout: 120_000,
  }, async () => {
    const r = await start({ DATABASE_URL: pgUrl(name), DATA_DIR: os.tmpdir() });
    const port = new URL(r.url).port;
    const second = spawn(process.execPath, ['bin/cityloop.mjs', 'start'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: pgUrl(name), PORT: port, HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(second);
    let err = '';
    let out = '';
    let failedAt = 0;
    second.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    second.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (!failedAt && err.includes('is already taken')) failedAt = performance.now();
    });
    const code = await new Promise<number | null>((resolve) => second.once('exit', (c) => resolve(c)));
    const lingered = (performance.now() - failedAt) / 1000;
    children.delete(second);
    expect(code).toBe(1);
    // One line that says what to do, found before the database is opened.
    expect(err).toContain(`port ${port} on 127.0.0.1 is already taken`);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(out).not.toContain('connecting to PostgreSQL');
    // Open database connections must not keep the failed process alive (pg's idle timeout is 10 s).
    expect(lingered).toBeLessThan(4);
    expect(await stop(r)).toEqual({ code: 0, signal: null });
  });
});
