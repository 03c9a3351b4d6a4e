/**
 * Heavy parsing off the server's thread (issue #12): an .xlsx workbook (exceljs) or a zipped
 * shapefile is read in a worker thread, so requests keep being answered while a 10 MB upload is
 * decoded. A worker per file: imports are rare, and a fresh worker gives its memory back at once.
 *
 * Why a worker rather than parsing in chunks that yield: exceljs's `xlsx.load` and the unzip are
 * single calls that run for seconds on a large file without a point to yield at.
 */
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../errors.js';
import { JobCancelled } from '../jobs/port.js';

const BOOT = new URL('./boot.mjs', import.meta.url);

interface Posted {
  ok: boolean;
  value?: unknown;
  error?: {
    name: string;
    code: string | null;
    messages: { zh: string; en: string } | null;
    details: unknown;
    message: string;
  };
}

/**
 * Runs `fn(...args)` exported by `module` (a file URL) in a worker thread and answers its value.
 * An AppError thrown there is thrown here again, with its code, messages and details; an abort
 * ends the worker and throws JobCancelled.
 */
export function inWorker<T>(
  module: URL | string,
  fn: string,
  args: unknown[],
  signal?: AbortSignal,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(new JobCancelled());
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(BOOT, { workerData: { module: String(module), fn, args } });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      f();
    };
    const onAbort = () => {
      void worker.terminate();
      settle(() => reject(new JobCancelled()));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (m: Posted) => {
      void worker.terminate();
      if (m.ok) return settle(() => resolve(m.value as T));
      const e = m.error;
      if (e?.name === 'AppError' && e.code) {
        return settle(() =>
          reject(
            new AppError(e.code as ErrorCode, {
              ...(e.messages ? { message: e.messages } : {}),
              ...(e.details !== null ? { details: e.details } : {}),
            }),
          ),
        );
      }
      settle(() => reject(new Error(e?.message ?? 'worker failed')));
    });
    worker.once('error', (err) => settle(() => reject(err)));
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`worker exited (${code}) without an answer`))),
    );
  });
}

/**
 * Files below this many bytes are read on the calling thread: they take milliseconds, less than
 * a worker takes to start (its TypeScript loader alone costs about a second).
 */
export const INLINE_PARSE_BYTES = 256 * 1024;

/** `local()` for a small file, else the same function run by `inWorker`. */
export function parseOffThread<T>(
  bytes: number,
  local: () => Promise<T>,
  module: URL | string,
  fn: string,
  args: unknown[],
  signal?: AbortSignal,
): Promise<T> {
  return bytes < INLINE_PARSE_BYTES ? local() : inWorker<T>(module, fn, args, signal);
}
