/**
 * Cold start of the first command (`cityloop start` on the embedded store) on an empty data
 * dir and on the same dir again, plus the server's resident memory after each start and
 * after a burst of requests. Each run has a template cache of its own (EMBEDDED_TEMPLATE_DIR):
 * the first start makes the template (a new installation), a first start on a second empty
 * data dir copies it (every later new data dir), then the first dir starts again. Prints
 * figures; asserts nothing.
 *
 *   npx tsx bench/startup.ts [runs=3]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 3);

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function startOnce(dataDir: string, templateDir: string) {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/cityloop.mjs', 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      EMBEDDED_TEMPLATE_DIR: templateDir,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /CityLoop is running: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
  const health = await fetch(`${url}/api/health`);
  if (!health.ok) throw new Error(`health ${health.status}`);
  const readyS = (performance.now() - t0) / 1000;
  const rssStart = rssMb(child.pid!);
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'intake', password: 'CityLoop@2026', client: 'app' }),
  });
  const { token } = (await login.json()) as { token: string };
  for (let i = 0; i < 200; i++) {
    const lng = 104.03 + (i % 20) * 0.003;
    const lat = 30.64 + Math.floor(i / 20) * 0.004;
    await fetch(`${url}/api/v1/grids/locate?lng=${lng}&lat=${lat}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  }
  const rssLoaded = rssMb(child.pid!);
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  child.kill('SIGTERM');
  const code = await exited;
  return { readyS, rssStart, rssLoaded, seeded: out.includes('seeding the demo city'), exitCode: code };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const first: number[] = [];
const copied: number[] = [];
const second: number[] = [];
const rss: number[] = [];
for (let i = 0; i < runs; i++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-bench-'));
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-bench-'));
  const templates = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-bench-template-'));
  const a = await startOnce(dir, templates);
  const c = await startOnce(other, templates);
  const b = await startOnce(dir, templates);
  for (const d of [dir, other, templates]) fs.rmSync(d, { recursive: true, force: true });
  console.log(
    `run ${i + 1}: first start ${a.readyS.toFixed(1)} s (seeded=${a.seeded}, template made), first start from the template ${c.readyS.toFixed(1)} s (seeded=${c.seeded}), second start ${b.readyS.toFixed(1)} s (seeded=${b.seeded}), RSS ${a.rssStart}/${c.rssStart}/${b.rssStart} MB idle, ${a.rssLoaded}/${c.rssLoaded}/${b.rssLoaded} MB after 200 lookups, exit ${a.exitCode}/${c.exitCode}/${b.exitCode}`,
  );
  first.push(a.readyS);
  copied.push(c.readyS);
  second.push(b.readyS);
  rss.push(b.rssLoaded);
}
console.log(
  `median of ${runs}: first start ${median(first).toFixed(1)} s (template made), from the template ${median(copied).toFixed(1)} s, second start ${median(second).toFixed(1)} s, RSS ${median(rss)} MB (second start, after 200 lookups); load average ${(os.loadavg()[0] ?? 0).toFixed(1)}`,
);
