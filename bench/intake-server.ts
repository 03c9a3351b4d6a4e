/**
 * The server half of bench/intake.ts, in a process of its own: the app as `cityloop start` builds
 * it (same store, same pool size), listening on a random port. Over the IPC channel it says
 * where it listens and answers how many statements its store has sent so far, so the bench can
 * print queries per report without sharing the server's CPU with the clients.
 *
 *   (started by bench/intake.ts) node --import tsx bench/intake-server.ts <DATABASE_URL>
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { openStore } from '../src/platform/db/store.js';

const url = process.argv[2];
if (!url || !process.send) throw new Error('start me from bench/intake.ts (needs a database URL and IPC)');
const send = process.send.bind(process);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-bench-server-'));
const config = loadConfig({
  DATABASE_URL: url,
  LOG_LEVEL: 'silent',
  DATA_DIR: dataDir,
  WEB_DIR: '/nonexistent/cityloop-web',
  ...(process.env.DB_POOL_SIZE ? { DB_POOL_SIZE: process.env.DB_POOL_SIZE } : {}),
});
const store = await openStore(config);
const app = await buildApp({ store, config }, { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'queries') {
    const cpu = process.cpuUsage();
    send({ type: 'queries', count: store.queries.count, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
  if (msg.type === 'stop') {
    void (async () => {
      await app.close();
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    })();
  }
});
