/**
 * One writer per embedded data directory, with real processes: `cityloop user add` /
 * `reset-password` while `cityloop start` runs on the same DATA_DIR are refused with the server
 * named (they used to print "created" and lose the user), work once it has stopped, and a lock
 * left by a server killed with -9 is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/domain/demo-city/index.js';
import { killAll, runCli, type ServerStore, serverStore, startServer } from '../helpers/server-process.js';
import { testStores } from '../helpers/stores.js';

const STRONG = 'Gx7#kLq9!mWz2026';
const STRONGER = 'Vb4$hTr8@nYq2027';

async function login(url: string, username: string, password: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, client: 'app' }),
  });
  return res.status;
}

afterAll(() => killAll());

describe.skipIf(!testStores().includes('pglite'))('one writer per embedded data directory', () => {
  let st: ServerStore;
  let lockFile: string;
  beforeAll(async () => {
    st = await serverStore('pglite');
    lockFile = path.join(st.env.DATA_DIR as string, 'pgdata.lock');
  });
  afterAll(() => st?.dispose());

  const addUser = [
    'user',
    'add',
    '--username',
    'lockcheck',
    '--name',
    '锁测试',
    '--role',
    'intake',
    '--division',
    '510104',
    '--password',
    STRONG,
  ];

  it('refuses the CLI while the server runs, naming it; the CLI works once the server stopped', {
    timeout: 600_000,
  }, async () => {
    const server = await startServer(st.env);
    const pid = server.child.pid as number;
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ pid, command: 'start' });

    const add = await runCli(addUser, st.env);
    expect(add.code).toBe(1);
    expect(add.stdout).not.toContain('created');
    expect(add.stderr).toContain('error STORE_LOCKED: 嵌入式数据目录正被另一个 CityLoop 进程使用');
    expect(add.stderr).toContain(`"pid":${pid}`);
    const reset = await runCli(['user', 'reset-password', 'admin', '--password', STRONG], st.env);
    expect(reset.code).toBe(1);
    expect(reset.stderr).toContain('error STORE_LOCKED');
    // The server goes on undisturbed: nothing was written beside it.
    expect(await login(server.url, 'admin', DEMO_PASSWORD)).toBe(200);
    expect(await login(server.url, 'lockcheck', STRONG)).toBe(401);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(lockFile)).toBe(false);

    const added = await runCli(addUser, st.env);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^created user lockcheck \(id \d+, intake\)$/m);
    expect(fs.existsSync(lockFile)).toBe(false);

    // Kept: the next server lets the new user in.
    const again = await startServer(st.env);
    expect(await login(again.url, 'lockcheck', STRONG)).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  });

  it('takes over the lock of a server killed with -9', { timeout: 600_000 }, async () => {
    const server = await startServer(st.env);
    const pid = server.child.pid as number;
    server.child.kill('SIGKILL');
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // Left behind, naming the dead server.
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ pid });

    const reset = await runCli(['user', 'reset-password', 'lockcheck', '--password', STRONGER], st.env);
    expect(reset.stderr).toBe('');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain(`removed the stale lock of process ${pid} (start, started `);
    expect(reset.stdout).toContain('password of lockcheck reset');
    expect(fs.existsSync(lockFile)).toBe(false);

    const again = await startServer(st.env);
    expect(await login(again.url, 'lockcheck', STRONGER)).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  });
});
