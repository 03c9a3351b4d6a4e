/**
 * The living demo at `cityloop start` (demo mode only): the recent history written in the
 * background, then the live simulation once the newest day is in (its case numbers continue
 * after the history's). Both stop with the server; a restart continues the history where it
 * stopped.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../../platform/config.js';
import type { Database } from '../../platform/db/schema.js';
import type { Store } from '../../platform/db/store.js';
import { type DemoHistoryPlan, historyProgress, planDemoHistory, runDemoHistory } from './history-job.js';
import { type LiveSimStats, type LiveSimulation, startLiveSimulation } from './live-sim.js';

export interface DemoRunner {
  plan: DemoHistoryPlan | null;
  live: () => LiveSimStats | null;
  /** Seconds the history took in this process, once it finished here. */
  historySeconds: () => number | null;
  stop(): Promise<void>;
}

const runners = new WeakMap<Kysely<Database>, DemoRunner>();

/** The demo running on this store in this process (for GET /demo/status). */
export function demoRunnerOf(db: Kysely<Database>): DemoRunner | undefined {
  return runners.get(db);
}

export interface DemoStartOptions {
  say: (line: string) => void;
  logError: (message: string, err: unknown) => void;
  /** Overrides for tests (speed of the simulation, size of transactions). */
  live?: { pace?: number; reportEveryMs?: number; tickMs?: number };
}

export async function startDemo(
  store: Store,
  config: Config,
  o: DemoStartOptions,
): Promise<DemoRunner | null> {
  if (!config.demoSeed) return null;
  const plan = await planDemoHistory(store.db, {
    days: config.demo.historyDays,
    casesPerDay: config.demo.historyCasesPerDay,
  });
  const abort = new AbortController();
  let sim: LiveSimulation | null = null;
  let seconds: number | null = null;
  let stopped = false;
  const startLive = () => {
    if (!config.demo.live || stopped || sim) return;
    sim = startLiveSimulation(store, {
      dataDir: config.dataDir,
      ...o.live,
      log: o.logError,
    });
  };
  const background = (async () => {
    // Let the server answer its first requests before the first chunk.
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (!plan || plan.finishedAt) {
      startLive();
      return;
    }
    const t0 = performance.now();
    const before = await historyProgress(store.db, plan);
    let shown = before.daysDone;
    o.say(
      `CityLoop: demo history — writing ${plan.days} days (about ${(plan.days * plan.casesPerDay).toLocaleString('en')} cases) in the background${before.daysDone > 0 ? `, continuing at day ${before.daysDone + 1}` : ''}…`,
    );
    const done = await runDemoHistory(store, plan, {
      signal: abort.signal,
      onProgress: (p) => {
        // The newest day is in: live reports now number after it.
        if (p.daysDone >= 1) startLive();
        if (p.daysDone - shown >= Math.max(1, Math.round(plan.days / 10)) || p.daysDone === p.days) {
          shown = p.daysDone;
          o.say(
            `CityLoop: demo history ${p.daysDone}/${p.days} days, ${p.cases.toLocaleString('en')} cases (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
          );
        }
      },
    });
    if (done) {
      seconds = (performance.now() - t0) / 1000;
      o.say(`CityLoop: demo history ready in ${seconds.toFixed(0)} s`);
    }
    startLive();
  })().catch((err) => o.logError('demo history failed', err));
  const runner: DemoRunner = {
    plan,
    live: () => (sim as LiveSimulation | null)?.stats() ?? null,
    historySeconds: () => seconds,
    async stop() {
      stopped = true;
      abort.abort();
      await background;
      await (sim as LiveSimulation | null)?.stop();
      runners.delete(store.db);
    },
  };
  runners.set(store.db, runner);
  return runner;
}
