/**
 * The living demo on the embedded store: how long the background history takes after a first
 * start, and how fast the server answers meanwhile, against the same server answering with no
 * history being written and no simulation (same run, same seeded city). Prints figures;
 * asserts nothing.
 *
 *   npx tsx bench/demo-history.ts [days=90] [casesPerDay=400] [requests=40]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const days = process.argv[2] ?? '90';
const perDay = process.argv[3] ?? '400';
const requests = Number(process.argv[4] ?? 40);

const baseEnv = {
  ...process.env,
  DATABASE_URL: '',
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  WEB_BUILD: 'false',
};

function start(
  dataDir: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, ['bin/cityloop.mjs', 'start'], {
    cwd: ROOT,
    env: { ...baseEnv, DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /CityLoop is running: (http:\/\/\S+)/.exec(out);
      if (m?.[1] && /started in/.test(out)) resolve({ child, url: m[1], out: () => out });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
}

async function latencies(url: string, n: number): Promise<number[]> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'leader', password: 'CityLoop@2026', client: 'app' }),
  });
  const { token } = (await login.json()) as { token: string };
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const paths = ['/api/v1/cases?limit=20', '/api/v1/patrol/positions/latest', '/api/health'];
    const r = await fetch(`${url}${paths[i % paths.length]}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await r.text();
    out.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 250));
  }
  return out.sort((a, b) => a - b);
}

const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? Number.NaN;
const fmt = (xs: number[]) =>
  `median ${q(xs, 0.5).toFixed(0)} ms, p90 ${q(xs, 0.9).toFixed(0)} ms, max ${q(xs, 1).toFixed(0)} ms`;
const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

const seeded = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-bench-demo-'));
execFileSync(process.execPath, ['bin/cityloop.mjs', 'seed'], {
  cwd: ROOT,
  env: { ...baseEnv, DATA_DIR: seeded },
});
const copy = (name: string) => {
  const dir = path.join(seeded, name);
  fs.cpSync(path.join(seeded, 'pgdata'), path.join(dir, 'pgdata'), { recursive: true });
  return dir;
};

// Baseline: the same city, nothing in the background.
const quiet = await start(copy('quiet'), { DEMO_HISTORY_DAYS: '0', DEMO_LIVE: 'false' });
const baseline = await latencies(quiet.url, requests);
await stop(quiet.child);

const t0 = performance.now();
const live = await start(copy('live'), { DEMO_HISTORY_DAYS: days, DEMO_HISTORY_CASES_PER_DAY: perDay });
const during = await latencies(live.url, requests);
while (!/demo history ready in/.test(live.out())) await new Promise((r) => setTimeout(r, 500));
const seconds = (performance.now() - t0) / 1000;
const status = (/demo history (\d+)\/(\d+) days, ([\d,]+) cases/g.exec(
  live.out().split('\n').reverse().join('\n'),
) ?? [])[3];
await stop(live.child);
fs.rmSync(seeded, { recursive: true, force: true });

console.log(
  `demo history ${days} days × ${perDay}/day: ${status ?? '?'} cases in ${seconds.toFixed(0)} s after start (with the live simulation running)`,
);
console.log(`requests, nothing in the background: ${fmt(baseline)}`);
console.log(`requests while the history is written: ${fmt(during)}`);
console.log(
  `ratio (median): ${(q(during, 0.5) / q(baseline, 0.5)).toFixed(2)}×, (p90): ${(q(during, 0.9) / q(baseline, 0.9)).toFixed(2)}×`,
);
