// The entry of a parse worker (./run.ts): the sources are TypeScript run through tsx, so the
// worker registers tsx itself (a worker has a module loader of its own), then runs one exported
// function of one module and posts back its value, or its error as plain data.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { module, fn, args } = workerData;
try {
  const m = await import(module);
  const value = await m[fn](...args);
  parentPort.postMessage({ ok: true, value });
} catch (err) {
  const e = err ?? {};
  parentPort.postMessage({
    ok: false,
    error: {
      name: e.constructor?.name ?? 'Error',
      code: typeof e.code === 'string' ? e.code : null,
      messages: e.messages ?? null,
      details: e.details ?? null,
      message: String(e.message ?? e),
    },
  });
}
