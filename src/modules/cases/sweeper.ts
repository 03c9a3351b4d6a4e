/**
 * The sweeper turns lights yellow / red and appends one `overdue` event per running step that ran
 * out. Safe with several server processes: each batch claims its rows with FOR UPDATE SKIP LOCKED
 * (a row another sweeper or a user action holds is skipped, not waited for), and a unique index
 * on (case, step number) of overdue events makes a second event impossible anyway.
 */

import { sql } from 'kysely';
import { type CaseState, decide } from '../../domain/workflow/index.js';
import { transact } from '../../platform/db/after-commit.js';
import type { Store } from '../../platform/db/store.js';
import { advance, calendarLoader, clockOfRow } from './advance.js';
import { recompute } from './clock.js';
import { pendingOf } from './presenter.js';
import { caseQuery } from './repo.js';

export interface SweepResult {
  yellow: number;
  red: number;
  overdueEvents: number;
}

const BATCH = 200;

/** One pass over the cases whose light may have changed by `now`. */
export async function sweep(store: Store, now = new Date()): Promise<SweepResult> {
  const result: SweepResult = { yellow: 0, red: 0, overdueEvents: 0 };
  for (;;) {
    const claimed = await transact(store.db, async (trx) => {
      const rows = await caseQuery(trx)
        .where('c.step', 'is not', null)
        .where('c.step_deadline', 'is not', null)
        .where((eb) =>
          eb.or([
            eb.and([eb('c.light', '=', 'green'), eb('c.step_yellow_at', '<=', now)]),
            eb.and([eb('c.light', '<>', 'red'), eb('c.step_deadline', '<=', now)]),
          ]),
        )
        .orderBy('c.step_deadline')
        .limit(BATCH)
        .modifyEnd(sql`FOR UPDATE OF c SKIP LOCKED`)
        .execute();
      const calendars = calendarLoader(trx);
      let changed = 0;
      for (const row of rows) {
        const clock = clockOfRow(row);
        const fresh = recompute(clock, clock.calendarId ? await calendars(clock.calendarId) : null, now);
        if (fresh.light === 'red') {
          const snapshot = { state: row.state as CaseState, pending: pendingOf(row) };
          const decision = decide(snapshot, 'overdue', { role: 'service' }, {});
          if (!decision.ok) continue;
          // The overdue mark is not a change the user has to reload for: the version stays.
          await advance(trx, row, {
            actorId: null,
            actorRole: 'service',
            action: 'overdue',
            decision,
            reason: null,
            payload: {
              step: clock.step,
              stepNo: clock.stepNo,
              deadline: clock.deadline?.toISOString() ?? null,
            },
            set: {},
            photos: null,
            extension: null,
            bumpVersion: false,
            now,
          });
          await trx.updateTable('cases').set({ light: 'red' }).where('id', '=', row.id).execute();
          result.red++;
          result.overdueEvents++;
          changed++;
        } else if (fresh.light !== row.light) {
          await trx.updateTable('cases').set({ light: fresh.light }).where('id', '=', row.id).execute();
          if (fresh.light === 'yellow') result.yellow++;
          changed++;
        }
      }
      return { rows: rows.length, changed };
    });
    // A full batch may hide more; a batch without changes means the rest is not due yet.
    if (claimed.rows < BATCH || claimed.changed === 0) return result;
  }
}

/** Starts the periodic sweep in this process; returns a function that stops it. */
export function startSweeper(store: Store, intervalMs = 60_000, log: (err: unknown) => void = () => {}) {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = sweep(store)
      .then(() => undefined, log)
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  /** Stops the timer and waits for a sweep in progress, so the store can close under it safely. */
  return async () => {
    clearInterval(timer);
    await running;
  };
}
