/** The operator's command line, run as the real command against a private PostgreSQL database. */
import { execFile } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/platform/http/app.js';
import type { ApiApp } from '../../src/platform/http/types.js';
import { testApp } from '../helpers/app.js';
import { openTestStore, type TestStore } from '../helpers/stores.js';
import { ROOT } from '../helpers/templates.js';

const STRONG = 'Gx7#kLq9!mWz2026';

describe('cityloop CLI', () => {
  let t: TestStore;
  let app: ApiApp;

  beforeAll(async () => {
    t = await openTestStore('postgres');
    app = await testApp(t.store);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  function cli(args: string[], env: Record<string, string> = {}) {
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['bin/cityloop.mjs', ...args],
        {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: t.url as string, LOG_LEVEL: 'warn', PORT: '0', ...env },
          timeout: 60_000,
        },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }
  const login = (username: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, client: 'app' } });
  const userRow = (username: string) =>
    t.store.db
      .selectFrom('users')
      .select(['username', 'role', 'division_code', 'must_change_password'])
      .where('username', '=', username)
      .executeTakeFirst();
  const count = async (table: 'users' | 'divisions' | 'grids') =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.store.db)).rows[0]
      ?.n;

  it('--help lists the commands', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['start', 'migrate', 'seed', 'user'])
      expect(r.stdout).toMatch(new RegExp(`^ +${command}\\b`, 'm'));
    const user = await cli(['user', '--help']);
    expect(user.stdout).toMatch(/^ +add\b/m);
    expect(user.stdout).toMatch(/^ +reset-password\b/m);
  });

  it('migrate on an up-to-date database says so', async () => {
    const r = await cli(['migrate']);
    expect(r).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
  });

  it('seed on a seeded database seeds nothing', async () => {
    const before = {
      divisions: await count('divisions'),
      grids: await count('grids'),
      users: await count('users'),
    };
    const r = await cli(['seed']);
    expect(r).toMatchObject({ code: 0, stdout: 'the database already holds a city; nothing seeded\n' });
    expect({
      divisions: await count('divisions'),
      grids: await count('grids'),
      users: await count('users'),
    }).toEqual(before);
  });

  it('user add with a password creates a user who can log in', async () => {
    const r = await cli([
      'user',
      'add',
      '--username',
      'CliUser',
      '--name',
      '张三',
      '--role',
      'intake',
      '--division',
      '510104',
      '--password',
      STRONG,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created user cliuser \(id \d+, intake\)\n$/);
    expect(await userRow('cliuser')).toEqual({
      username: 'cliuser',
      role: 'intake',
      division_code: '510104',
      must_change_password: false,
    });
    const res = await login('cliuser', STRONG);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      mustChangePassword: false,
      user: { username: 'cliuser', role: 'intake' },
    });
    const audit = await t.store.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('action', '=', 'user.create')
      .where('target', 'like', 'user:%')
      .execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('user add with a weak password fails with exit code 1 and PASSWORD_WEAK, writing nothing', async () => {
    const before = await count('users');
    const r = await cli([
      'user',
      'add',
      '--username',
      'weakling',
      '--name',
      '弱',
      '--role',
      'intake',
      '--division',
      '510104',
      '--password',
      'abc',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error PASSWORD_WEAK: 密码不符合安全策略.* \/ The password does not meet the policy/m,
    );
    expect(r.stdout).toBe('');
    expect(await userRow('weakling')).toBeUndefined();
    expect(await count('users')).toBe(before);
  });

  it('user add rejects an unknown role before touching the database', async () => {
    const r = await cli(['user', 'add', '--username', 'x1', '--name', 'x', '--role', 'emperor']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("option '--role <role>' argument 'emperor' is invalid");
    expect(await userRow('x1')).toBeUndefined();
  });

  it('user add without a password prints a one-time password that must be changed', async () => {
    const r = await cli([
      'user',
      'add',
      '--username',
      'tempuser',
      '--name',
      '李四',
      '--role',
      'dispatcher',
      '--division',
      '510105',
    ]);
    expect(r.code).toBe(0);
    const m = /one-time password \(must be changed at first login\): (\S+)\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const res = await login('tempuser', m?.[1] as string);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().mustChangePassword).toBe(true);
    expect((await userRow('tempuser'))?.must_change_password).toBe(true);
  });

  it('user reset-password sets a new password and the old one stops working', async () => {
    const next = 'Pz4$wRt8@nVb2027';
    const r = await cli(['user', 'reset-password', 'cliuser', '--password', next]);
    expect(r).toMatchObject({ code: 0, stdout: 'password of cliuser reset\n' });
    expect((await login('cliuser', next)).statusCode).toBe(200);
    const old = await login('cliuser', STRONG);
    expect(old.statusCode).toBe(401);
    expect(old.json().error.code).toBe('INVALID_CREDENTIALS');

    const temp = await cli(['user', 'reset-password', 'cliuser']);
    expect(temp.code).toBe(0);
    const m = /one-time password \(must be changed at first login\): (\S+)\n$/.exec(temp.stdout);
    const res = await login('cliuser', m?.[1] as string);
    expect(res.statusCode).toBe(200);
    expect(res.json().mustChangePassword).toBe(true);
  });

  it('user reset-password of an unknown user fails with NOT_FOUND', async () => {
    const r = await cli(['user', 'reset-password', 'nobody-here', '--password', STRONG]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error NOT_FOUND: /m);
    expect(r.stderr).toContain('nobody-here');
  });

  it('a bad environment fails with exit code 1 naming the variable', async () => {
    for (const command of [['migrate'], ['start']]) {
      const r = await cli(command, { PORT: 'abc' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Invalid configuration 配置无效');
      expect(r.stderr).toMatch(/^ {2}- PORT: /m);
      expect(r.stdout).toBe('');
    }
    const db = await cli(['migrate'], { DATABASE_URL: 'mysql://x' });
    expect(db.code).toBe(1);
    expect(db.stderr).toMatch(/- DATABASE_URL: must be a postgres/);
  });

  it('--version prints the version', async () => {
    const r = await cli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it('a database that does not exist or refuses gives one line saying what to do, no stack trace', async () => {
    const base = new URL(t.url as string);
    const missing = new URL(base);
    missing.pathname = '/cityloop_no_such_db';
    const refused = new URL(base);
    refused.port = '1';
    for (const [url, says] of [
      [missing.href, 'database "cityloop_no_such_db" does not exist'],
      [refused.href, 'refused the connection'],
    ] as const) {
      for (const command of [['migrate'], ['start']]) {
        const r = await cli(command, { DATABASE_URL: url, WEB_BUILD: 'false' });
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(says);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).not.toMatch(/^\s+at /m);
      }
    }
  });

  it('an unknown command fails with exit code 1', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});
