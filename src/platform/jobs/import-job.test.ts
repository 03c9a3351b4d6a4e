/**
 * Imports as jobs on both stores: the file travels with the job and is dropped when it ends;
 * the writes commit all together at the end, so a cancel while writing and a problem found
 * deep in the file both leave nothing written, and the failure keeps its report.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { systemActor } from '../auth/actor.js';
import { AppError } from '../errors.js';
import { defineImportJob } from './import-job.js';
import type { JobQueue, JobView } from './port.js';
import { tableJobQueue } from './table-queue.js';

const actor = systemActor('import-job-test');

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

async function until(q: JobQueue, id: string, ok: (v: JobView) => boolean, ms = 30_000): Promise<JobView> {
  const end = Date.now() + ms;
  for (;;) {
    const h = await q.head(id);
    if (h && ok(h)) return h;
    if (Date.now() > end) throw new Error(`job ${id} never got there; last: ${JSON.stringify(h)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(testStores())('import jobs (%s)', (kind) => {
  let ts: TestStore;
  let q: JobQueue;
  const writing = { reached: gate(), release: gate() };
  beforeAll(async () => {
    ts = await openTestStore(kind);
    await sql`CREATE TABLE import_probe (line text NOT NULL)`.execute(ts.store.db);
    q = tableJobQueue(ts.store, { pollMs: 30, progressEveryMs: 0, concurrency: 1 });
    // One kind: the file's lines are rows; "stop" waits for the test, "bad" is a problem deep in it.
    defineImportJob<{ wait: boolean }, string[]>(q, ts.store, {
      kind: 'test.import',
      permission: 'case.read',
      async read(input, _params, step) {
        await step(10, 'reading');
        return (input ?? Buffer.alloc(0)).toString('utf8').split('\n');
      },
      async write(ctx, lines, params, step) {
        for (const [i, line] of lines.entries()) {
          if (line === 'bad') {
            throw new AppError('VALIDATION_FAILED', {
              details: { problems: [{ row: i + 1, message: 'bad line' }] },
            });
          }
          await ctx.db
            .insertInto('import_probe' as never)
            .values({ line } as never)
            .execute();
          await step(40 + (i / lines.length) * 50, `${i + 1} / ${lines.length}`);
        }
        if (params.wait) {
          writing.reached.open();
          await writing.release.opened;
        }
        return { rows: lines.length };
      },
    });
    q.start();
  }, 120_000);
  afterAll(async () => {
    await q?.stop();
    await ts?.dispose();
  });

  const rows = async () =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM import_probe`.execute(ts.store.db)).rows[0]?.n;
  const input = async (id: string) =>
    (
      await sql<{ has: boolean }>`SELECT input IS NOT NULL AS has FROM jobs WHERE id = ${id}`.execute(
        ts.store.db,
      )
    ).rows[0]?.has;

  it('writes every row at the end, keeps the result and drops the file', async () => {
    const job = await q.enqueue(ts.store.db, 'test.import', actor, { wait: false }, Buffer.from('a\nb\nc'));
    const done = await until(q, job.id, (v) => v.state !== 'queued' && v.state !== 'running');
    expect(done).toMatchObject({ state: 'succeeded', progress: 100, error: null });
    expect((await q.outcome(job.id))?.result).toEqual({ rows: 3 });
    expect(await rows()).toBe(3);
    expect(await input(job.id)).toBe(false);
  });

  it('a problem deep in the file fails the job with its report and writes nothing', async () => {
    const before = await rows();
    const job = await q.enqueue(
      ts.store.db,
      'test.import',
      actor,
      { wait: false },
      Buffer.from('d\ne\nbad\nf'),
    );
    const done = await until(q, job.id, (v) => v.state !== 'queued' && v.state !== 'running');
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { problems: [{ row: 3, message: 'bad line' }] },
    });
    expect(await rows()).toBe(before);
    expect(await input(job.id)).toBe(false);
  });

  it('cancelled while writing, it rolls back: nothing of it stays', async () => {
    const before = await rows();
    const job = await q.enqueue(ts.store.db, 'test.import', actor, { wait: true }, Buffer.from('g\nh'));
    await writing.reached.opened;
    // On the embedded store the cancel's UPDATE waits for the import's connection: not awaited yet.
    const cancelled = q.cancel(job.id);
    writing.release.open();
    await cancelled;
    const done = await until(q, job.id, (v) => v.state !== 'queued' && v.state !== 'running');
    expect(done).toMatchObject({ state: 'cancelled', cancelRequested: true });
    expect(await q.outcome(job.id)).toMatchObject({ result: null, file: null });
    expect(await rows()).toBe(before);
  });
});
