/** The embedded data directory's lock, with real processes as owners and contenders. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../test/helpers/templates.js';
import { AppError } from '../errors.js';
import { type LockOwner, lockDataDir, procStartOf } from './data-dir-lock.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-lock-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
let n = 0;
const dir = () => path.join(base, `pgdata-${n++}`);

/** A lock file as another process would have left it. */
function plant(dataDir: string, owner: Partial<LockOwner>) {
  const full: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    bootId: fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
    procStart: procStartOf(process.pid),
    startedAt: '2026-01-01T00:00:00.000Z',
    command: 'start',
    token: 'planted',
    ...owner,
  };
  fs.writeFileSync(`${dataDir}.lock`, `${JSON.stringify(full)}\n`);
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected STORE_LOCKED');
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid as number;
}

describe('embedded data directory lock', () => {
  it('has one holder: a second open is refused with the owner named, and may take it after release', () => {
    const d = dir();
    const lock = lockDataDir(d);
    const owner = JSON.parse(fs.readFileSync(`${d}.lock`, 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, host: os.hostname() });
    const err = refusal(() => lockDataDir(d));
    expect(err.code).toBe('STORE_LOCKED');
    expect(err.status).toBe(503);
    expect(err.details).toMatchObject({
      dataDir: d,
      lockFile: `${d}.lock`,
      owner: { pid: process.pid, host: os.hostname() },
    });
    expect(err.messages.zh).toContain('正被另一个 CityLoop 进程使用');
    lock.release();
    expect(fs.existsSync(`${d}.lock`)).toBe(false);
    lockDataDir(d).release();
  });

  it('takes over the lock of a process that is gone, saying so', () => {
    const d = dir();
    const pid = deadPid();
    plant(d, { pid, procStart: null, command: 'start' });
    const said: string[] = [];
    const lock = lockDataDir(d, (line) => said.push(line));
    expect(said).toEqual([expect.stringContaining(`removed the stale lock of process ${pid} (start`)]);
    expect(JSON.parse(fs.readFileSync(`${d}.lock`, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('tells a reused pid, an earlier boot and an earlier process with this pid from the owner', () => {
    // The parent is alive, but started at another tick than recorded: the pid was reused.
    const reused = dir();
    plant(reused, { pid: process.ppid, procStart: (procStartOf(process.ppid) as number) + 1 });
    lockDataDir(reused).release();
    const rebooted = dir();
    plant(rebooted, { pid: process.ppid, bootId: '00000000-0000-0000-0000-000000000000' });
    lockDataDir(rebooted).release();
    // A container restarted gives the server the same pid: the lock is not this process's own.
    const samePid = dir();
    plant(samePid, { pid: process.pid, token: 'previous-run' });
    lockDataDir(samePid).release();
  });

  it('refuses a live owner, an owner on another host, and a lock it cannot read', () => {
    const live = dir();
    plant(live, { pid: process.ppid, procStart: procStartOf(process.ppid) });
    expect(refusal(() => lockDataDir(live)).details).toMatchObject({ owner: { pid: process.ppid } });
    const remote = dir();
    plant(remote, { pid: deadPid(), host: 'other-host.example' });
    expect(refusal(() => lockDataDir(remote)).details).toMatchObject({
      owner: { host: 'other-host.example' },
    });
    const garbled = dir();
    fs.writeFileSync(`${garbled}.lock`, 'not a lock');
    expect(refusal(() => lockDataDir(garbled)).details).toMatchObject({ owner: null });
    // Nothing was taken: the files are as they were.
    expect(fs.readFileSync(`${garbled}.lock`, 'utf8')).toBe('not a lock');
  });

  it('lets exactly one of several processes take over a stale lock at once, round after round', async () => {
    const d = dir();
    const ROUNDS = 30;
    // Each contender loads once, then per round: on "go" it tries, answers, and keeps what it
    // took until "end" (so a late contender cannot take a lock released in the same round).
    const script = `
      const { lockDataDir } = await import(${JSON.stringify(path.join(ROOT, 'src/platform/db/data-dir-lock.ts'))});
      const readline = await import('node:readline');
      let lock = null;
      process.stdout.write('ready\\n');
      for await (const line of readline.createInterface({ input: process.stdin })) {
        if (line === 'go') {
          try {
            lock = lockDataDir(${JSON.stringify(d)});
            process.stdout.write('held\\n');
          } catch (err) {
            process.stdout.write((err.code ?? String(err)) + '\\n');
          }
        } else if (line === 'end') {
          lock?.release();
          lock = null;
          process.stdout.write('ended\\n');
        }
      }`;
    const contenders = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const lines: string[] = [];
      const waiters: (() => void)[] = [];
      let buffer = '';
      child.stdout.on('data', (b: Buffer) => {
        buffer += b.toString();
        for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
          lines.push(buffer.slice(0, i));
          buffer = buffer.slice(i + 1);
          waiters.shift()?.();
        }
      });
      const next = async () => {
        if (lines.length === 0) await new Promise<void>((r) => waiters.push(r));
        return lines.shift() as string;
      };
      return { child, next };
    });
    expect(await Promise.all(contenders.map((c) => c.next()))).toEqual(Array(6).fill('ready'));
    const held: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      plant(d, { pid: deadPid() });
      for (const c of contenders) c.child.stdin.write('go\n');
      const outcomes = await Promise.all(contenders.map((c) => c.next()));
      held.push(outcomes.filter((o) => o === 'held').length);
      expect(outcomes.filter((o) => o !== 'held' && o !== 'STORE_LOCKED')).toEqual([]);
      for (const c of contenders) c.child.stdin.write('end\n');
      await Promise.all(contenders.map((c) => c.next()));
      // The holder released it: nothing is left for the next round but what the test plants.
      expect(fs.existsSync(`${d}.lock`)).toBe(false);
    }
    for (const c of contenders) c.child.stdin.end();
    expect(held).toEqual(Array(ROUNDS).fill(1));
  }, 120_000);
});
