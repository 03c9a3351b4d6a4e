/**
 * The table-backed job queue on both stores: progress seen from outside while a job runs,
 * cancel of a running and of a queued job, failures recorded with their code, a job orphaned by
 * a dead process run again, a stopping server handing its job back, and two runners on one
 * database never running a job twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { systemActor } from '../auth/actor.js';
import { AppError } from '../errors.js';
import type { JobHandler, JobQueue, JobView } from './port.js';
import { tableJobQueue } from './table-queue.js';

const actor = systemActor('job-test');

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

async function until(q: JobQueue, id: string, ok: (v: JobView) => boolean, ms = 15_000): Promise<JobView> {
  const end = Date.now() + ms;
  for (;;) {
    const h = await q.head(id);
    if (h && ok(h)) return h;
    if (Date.now() > end) throw new Error(`job ${id} never got there; last: ${JSON.stringify(h)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(testStores())('table job queue (%s)', (kind) => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = await openTestStore(kind);
  }, 120_000);
  afterAll(async () => {
    await ts?.dispose();
  });

  const queue = (handlers: JobHandler<never>[], concurrency = 1) => {
    const q = tableJobQueue(ts.store, { pollMs: 30, progressEveryMs: 0, concurrency });
    for (const h of handlers) q.define(h as JobHandler<unknown>);
    return q;
  };

  it('shows progress while running, keeps the result, and refuses unknown kinds and missing rights', async () => {
    const step = gate();
    const q = queue([
      {
        kind: 'test.steps',
        permission: 'case.read',
        async run(job) {
          await job.progress(30, 'a third');
          await step.opened;
          await job.progress(60, 'two thirds');
          return { result: { doubled: (job.params as { n: number }).n * 2 } };
        },
      },
    ]);
    q.start();
    try {
      const job = await q.enqueue(ts.store.db, 'test.steps', actor, { n: 21 });
      expect(job.state).toMatch(/queued|running/);
      const mid = await until(q, job.id, (v) => v.progress === 30);
      expect(mid).toMatchObject({
        state: 'running',
        message: 'a third',
        ownerId: 0,
        permission: 'case.read',
      });
      step.open();
      const done = await until(q, job.id, (v) => v.state === 'succeeded');
      expect(done.progress).toBe(100);
      expect(done.finishedAt).not.toBeNull();
      expect((await q.outcome(job.id))?.result).toEqual({ doubled: 42 });
      expect((await q.list(0, 'test.steps', 5)).map((v) => v.id)).toContain(job.id);
      await expect(q.enqueue(ts.store.db, 'test.nothing', actor, {})).rejects.toThrow(/no job handler/);
      // A citizen account reads no cases: the job is refused, not stored.
      await expect(
        q.enqueue(ts.store.db, 'test.steps', { ...actor, userId: 5, role: 'citizen' }, {}),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await q.list(5, undefined, 5)).toEqual([]);
    } finally {
      await q.stop();
    }
  });

  it('cancels a running job at its next step and a queued one at once (it never runs)', async () => {
    const ran: string[] = [];
    const q = queue([
      {
        kind: 'test.loop',
        permission: 'case.read',
        async run(job) {
          ran.push(job.id);
          for (let i = 0; ; i++) {
            await job.progress(i % 100);
            await new Promise((r) => setTimeout(r, 5));
          }
        },
      },
    ]);
    q.start();
    try {
      const first = await q.enqueue(ts.store.db, 'test.loop', actor, {});
      const second = await q.enqueue(ts.store.db, 'test.loop', actor, {});
      await until(q, first.id, (v) => v.state === 'running');
      const queued = await q.cancel(second.id);
      expect(queued?.state).toBe('cancelled');
      const asked = await q.cancel(first.id);
      expect(asked?.cancelRequested).toBe(true);
      const stopped = await until(q, first.id, (v) => v.state === 'cancelled');
      expect(stopped.finishedAt).not.toBeNull();
      await new Promise((r) => setTimeout(r, 150));
      expect(ran).toEqual([first.id]);
      expect((await q.head(second.id))?.state).toBe('cancelled');
    } finally {
      await q.stop();
    }
  });

  it('records a failure with its code (INTERNAL for a bug) and runs an orphaned job again', async () => {
    const q = queue([
      {
        kind: 'test.fail',
        permission: 'case.read',
        async run(job) {
          if ((job.params as { bug: boolean }).bug) throw new TypeError('boom');
          throw new AppError('EVALUATION_PERIOD_INVALID', { details: { why: 'test' } });
        },
      },
      { kind: 'test.quick', permission: 'case.read', run: async () => ({ result: 'ok' }) },
    ]);
    // A job a dead process was running a while ago.
    const orphan = '00000000-0000-4000-8000-000000000001';
    await ts.store.db
      .insertInto('jobs')
      .values({
        id: orphan,
        kind: 'test.quick',
        owner_id: 0,
        actor: JSON.stringify(actor),
        permission: 'case.read',
        params: '{}',
        state: 'running',
        attempts: 1,
        locked_by: 'dead-process',
        heartbeat_at: new Date(Date.now() - 3_600_000),
      })
      .execute();
    q.start();
    try {
      const known = await q.enqueue(ts.store.db, 'test.fail', actor, { bug: false });
      const bug = await q.enqueue(ts.store.db, 'test.fail', actor, { bug: true });
      const a = await until(q, known.id, (v) => v.state === 'failed');
      expect(a.error?.code).toBe('EVALUATION_PERIOD_INVALID');
      expect(a.error?.messages.zh).toBeTruthy();
      const b = await until(q, bug.id, (v) => v.state === 'failed');
      expect(b.error?.code).toBe('INTERNAL');
      const again = await until(q, orphan, (v) => v.state === 'succeeded');
      expect(again.progress).toBe(100);
      expect((await q.outcome(orphan))?.result).toBe('ok');
    } finally {
      await q.stop();
    }
  });

  it('a stopping server puts its running job back in the queue, and the next one finishes it', async () => {
    let calls = 0;
    const handler: JobHandler<unknown> = {
      kind: 'test.long',
      permission: 'case.read',
      async run(job) {
        calls++;
        if (calls === 1) for (;;) await job.progress(10);
        return { result: calls };
      },
    };
    const first = queue([handler as JobHandler<never>]);
    first.start();
    const job = await first.enqueue(ts.store.db, 'test.long', actor, {});
    await until(first, job.id, (v) => v.state === 'running' && v.progress === 10);
    await first.stop();
    expect((await first.head(job.id))?.state).toBe('queued');
    const second = queue([handler as JobHandler<never>]);
    second.start();
    try {
      await until(second, job.id, (v) => v.state === 'succeeded');
      expect((await second.outcome(job.id))?.result).toBe(2);
    } finally {
      await second.stop();
    }
  });

  it('two runners on one database run every job exactly once', async () => {
    const runs = new Map<string, number>();
    const handler = (who: string): JobHandler<never> => ({
      kind: 'test.count',
      permission: 'case.read',
      async run(job) {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await job.progress(50);
        await new Promise((r) => setTimeout(r, 2));
        return { result: who };
      },
    });
    const a = queue([handler('a')], 2);
    const b = queue([handler('b')], 2);
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) ids.push((await a.enqueue(ts.store.db, 'test.count', actor, { i })).id);
    a.start();
    b.start();
    try {
      for (const id of ids) await until(a, id, (v) => v.state === 'succeeded', 30_000);
      expect([...runs.keys()].sort()).toEqual([...ids].sort());
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      const by = new Set<unknown>();
      for (const id of ids) by.add((await a.outcome(id))?.result);
      // Both runners took part (each claims only two at a time, and the jobs outnumber that).
      expect([...by].sort()).toEqual(['a', 'b']);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
