/**
 * One writer per embedded data directory. PGlite is PostgreSQL in this process, without a
 * postmaster to keep a second process out: two processes opening one directory (the server and
 * `cityloop user add`) each write their own view of the files, and one loses its writes.
 *
 * The owner holds `<dataDir>.lock`: its pid, host, boot and process start time. A second process
 * refuses with the owner named (STORE_LOCKED). A lock whose process is gone (killed with -9,
 * machine rebooted, pid reused by another program) is stale and taken over. The lock is
 * released on close and when the process exits; only SIGKILL or a power cut leave it behind.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { AppError } from '../errors.js';

export interface LockOwner {
  pid: number;
  host: string;
  /** Kernel boot id (Linux): after a reboot no pid from before is alive. */
  bootId: string | null;
  /** Start of the owning process in clock ticks since boot (Linux), to tell a reused pid. */
  procStart: number | null;
  startedAt: string;
  command: string;
  /** Which open of this process holds it (a process may hold several directories). */
  token: string;
}

export interface DataDirLock {
  path: string;
  owner: LockOwner;
  release(): void;
}

function readOr(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function bootId(): string | null {
  return readOr('/proc/sys/kernel/random/boot_id')?.trim() ?? null;
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command, which may hold spaces). */
export function procStartOf(pid: number): number | null {
  const stat = readOr(`/proc/${pid}/stat`);
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[19]);
  return Number.isFinite(start) ? start : null;
}

const held = new Map<string, DataDirLock>();

function me(): LockOwner {
  return {
    pid: process.pid,
    host: os.hostname(),
    bootId: bootId(),
    procStart: procStartOf(process.pid),
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    command: process.argv.slice(2).join(' ').slice(0, 200),
    token: randomBytes(8).toString('hex'),
  };
}

/** Whether the recorded owner may still be running (a lock of another host always may). */
export function ownerAlive(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  const boot = bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return false;
  if (owner.pid === process.pid) {
    // This process, unless it is an earlier process that had the same pid (a container restart).
    return [...held.values()].some((l) => l.owner.token === owner.token);
  }
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: alive, under another user.
  }
  const start = procStartOf(owner.pid);
  return owner.procStart === null || start === null || start === owner.procStart;
}

function parse(text: string | null): LockOwner | null {
  if (!text) return null;
  try {
    const o = JSON.parse(text) as LockOwner;
    return Number.isInteger(o.pid) && typeof o.host === 'string' ? o : null;
  } catch {
    return null;
  }
}

function locked(dataDir: string, lockPath: string, owner: LockOwner | null): AppError {
  return new AppError('STORE_LOCKED', {
    details: {
      dataDir,
      lockFile: lockPath,
      owner: owner
        ? { pid: owner.pid, host: owner.host, startedAt: owner.startedAt, command: owner.command }
        : null,
    },
  });
}

/** Takes the lock of `dataDir` or throws STORE_LOCKED naming its owner. */
export function lockDataDir(dataDir: string, log: (line: string) => void = () => {}): DataDirLock {
  const lockPath = `${dataDir}.lock`;
  const owner = me();
  const text = `${JSON.stringify(owner)}\n`;
  for (let round = 0; round < 10; round++) {
    // Written aside and linked into place: the lock file appears whole or not at all.
    const tmp = `${lockPath}.${process.pid}.${owner.token}.tmp`;
    fs.writeFileSync(tmp, text);
    try {
      fs.linkSync(tmp, lockPath);
      const lock: DataDirLock = {
        path: lockPath,
        owner,
        release: () => {
          if (held.get(lockPath) !== lock) return;
          held.delete(lockPath);
          // Only our own file: never one a later owner wrote after ours was taken as stale.
          if (parse(readOr(lockPath))?.token === owner.token) fs.rmSync(lockPath, { force: true });
        },
      };
      held.set(lockPath, lock);
      return lock;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    const found = readOr(lockPath);
    if (found === null) continue; // released meanwhile
    const current = parse(found);
    if (current === null) {
      // Unreadable: not one of ours (ours appear whole). Refuse rather than guess.
      throw locked(dataDir, lockPath, null);
    }
    if (ownerAlive(current)) throw locked(dataDir, lockPath, current);
    // Stale. Moved aside first, then checked to be the very file judged stale: two processes
    // taking over at once cannot both remove a lock, nor one remove the other's new lock.
    const aside = `${lockPath}.stale.${process.pid}.${owner.token}`;
    try {
      fs.renameSync(lockPath, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    if (readOr(aside) !== found) {
      // A live owner's lock, written after ours was read: put it back.
      try {
        fs.linkSync(aside, lockPath);
      } catch {
        // Someone took the place meanwhile: the loop reads who.
      }
      fs.rmSync(aside, { force: true });
      continue;
    }
    fs.rmSync(aside, { force: true });
    log(
      `removed the stale lock of process ${current.pid} (${current.command || 'cityloop'}, started ${current.startedAt})`,
    );
  }
  throw locked(dataDir, lockPath, parse(readOr(lockPath)));
}

// Held locks go with the process, also on an uncaught error or process.exit().
process.on('exit', () => {
  for (const lock of [...held.values()]) lock.release();
});
