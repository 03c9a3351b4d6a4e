/**
 * The embedded database (PGlite + PostGIS) in a worker thread of its own. PGlite is PostgreSQL
 * compiled to WebAssembly: a statement runs synchronously on the thread that calls it, so on the
 * server's main thread one long query (an evaluation, the demo history, an export) froze every
 * request. Here it only blocks this worker; the server thread sends statements and receives
 * results as messages (./pglite-client.ts, which also defines the message shapes).
 *
 * Plain JavaScript on purpose: a worker gets no TypeScript loader (tsx, Vitest) of its parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';

/** Parsers by type oid, named by the parent (functions cannot cross threads). */
const PARSE = {
  number: (v) => Number(v),
  string: (v) => v,
};

function errorFields(err) {
  if (!(err instanceof Error)) return { message: String(err) };
  // PostgreSQL's fields (code, detail, constraint …) are own properties: callers test err.code.
  const out = { message: err.message, name: err.name, stack: err.stack };
  for (const [k, v] of Object.entries(err)) {
    if (v === undefined || typeof v === 'function') continue;
    if (typeof v === 'object' && v !== null) continue;
    out[k] = v;
  }
  return out;
}

const { dataDir, parsers, postgresqlconf } = workerData;
let lite;

async function open() {
  lite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    extensions: { postgis },
    parsers: Object.fromEntries(Object.entries(parsers).map(([oid, kind]) => [oid, PARSE[kind]])),
    ...(postgresqlconf ? { postgresqlconf } : {}),
  });
}

async function run(msg) {
  switch (msg.op) {
    case 'exec': {
      const last = (await lite.exec(msg.sql)).at(-1);
      return { rows: last?.rows ?? [], affectedRows: last?.affectedRows ?? 0 };
    }
    case 'query': {
      const r = await lite.query(msg.sql, msg.params);
      return { rows: r.rows, affectedRows: r.affectedRows ?? r.rows.length };
    }
    case 'listen':
      await lite.listen(msg.channel, (payload) =>
        parentPort.postMessage({ type: 'notify', channel: msg.channel, payload }),
      );
      return { rows: [], affectedRows: 0 };
    case 'dump': {
      const blob = await lite.dumpDataDir(msg.compression ?? 'none');
      return { rows: [], affectedRows: 0, bytes: new Uint8Array(await blob.arrayBuffer()) };
    }
    case 'close':
      await lite.close();
      return { rows: [], affectedRows: 0 };
    default:
      throw new Error(`unknown operation ${msg.op}`);
  }
}

parentPort.on('message', async (msg) => {
  try {
    const result = await run(msg);
    parentPort.postMessage({ type: 'result', id: msg.id, ...result });
    // After close nothing holds the thread open: the parent's exit handler sees a clean end.
    if (msg.op === 'close') parentPort.close();
  } catch (err) {
    parentPort.postMessage({ type: 'result', id: msg.id, error: errorFields(err) });
  }
});

open().then(
  () => parentPort.postMessage({ type: 'ready' }),
  (err) => parentPort.postMessage({ type: 'failed', error: errorFields(err) }),
);
