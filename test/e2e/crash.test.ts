/**
 * Exactly-once under `kill -9`: the server process is killed several times in the middle of a
 * load of idempotent reports (16 at a time, as field apps flushing their outboxes), restarted,
 * and every request that got no answer is sent again with its key, as the outbox does. Every
 * acknowledged and every retried report must exist exactly once, and a retry after the restart
 * is answered at once (never "still in progress"). On both stores.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/domain/demo-city/index.js';
import {
  killAll,
  type ServerProcess,
  type ServerStore,
  serverStore,
  startServer,
} from '../helpers/server-process.js';
import { testStores } from '../helpers/stores.js';

/**
 * Reports and kills per store (the kills fall inside the first KILLS of KILLS + 1 slices). The
 * embedded store restarts slowly (reopening PostGIS), so it gets fewer of both; set
 * CITYLOOP_CRASH_REPORTS for a longer run (e.g. 2000).
 */
const PLAN = {
  postgres: { reports: Number(process.env.CITYLOOP_CRASH_REPORTS ?? 1000), kills: 3 },
  pglite: { reports: Number(process.env.CITYLOOP_CRASH_REPORTS ?? 400), kills: 2 },
} as const;
const CONCURRENCY = 16;

type Headers = Record<string, string>;

async function login(url: string, username: string): Promise<Headers> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD, client: 'app' }),
  });
  expect(res.status).toBe(200);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

async function getJson<T>(url: string, headers: Headers): Promise<T> {
  const res = await fetch(url, { headers });
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}

interface CategoryNode {
  code: string;
  level: string;
  children: CategoryNode[];
}

/** A point inside one of the supervisor's grids (demo grids are lattice squares) and an event 小类. */
async function reportPlace(url: string, supervisor: Headers) {
  const grids = await getJson<{ features: { geometry: { coordinates: number[][][] } }[] }>(
    `${url}/api/v1/grids?limit=1`,
    supervisor,
  );
  const ring = grids.features[0]?.geometry.coordinates[0] ?? [];
  const xs = ring.map((p) => p[0] as number);
  const ys = ring.map((p) => p[1] as number);
  const tree = await getJson<CategoryNode[] | { items: CategoryNode[] }>(
    `${url}/api/v1/catalog/categories?kind=event&level=minor`,
    supervisor,
  );
  const roots = Array.isArray(tree) ? tree : tree.items;
  const minor = roots.flatMap((r) => r.children).find((c) => c.level === 'minor');
  expect(minor).toBeDefined();
  return {
    lng: (Math.min(...xs) + Math.max(...xs)) / 2,
    lat: (Math.min(...ys) + Math.max(...ys)) / 2,
    categoryCode: (minor as CategoryNode).code,
  };
}

interface Answer {
  status: number;
  body: string;
  replayed: boolean;
}

afterAll(() => killAll());

describe.each(testStores())('kill -9 during idempotent reports (%s)', (kind) => {
  let st: ServerStore;
  beforeAll(async () => {
    st = await serverStore(kind);
  });
  afterAll(async () => {
    killAll();
    await st?.dispose();
  });

  const { reports: REPORTS, kills: KILLS } = PLAN[kind];
  it(`${REPORTS} reports, ${CONCURRENCY} at a time, ${KILLS} kills: each stored exactly once, retries answered at once`, {
    timeout: 900_000,
  }, async () => {
    const started = performance.now();
    const run = randomBytes(4).toString('hex');
    let server: ServerProcess = await startServer(st.env);
    const supervisor = await login(server.url, 'supervisor');
    const place = await reportPlace(server.url, supervisor);
    const body = (key: string) =>
      JSON.stringify({
        source: 'supervisor',
        kind: 'event',
        ...place,
        address: '断电测试地址',
        description: `断电测试 ${key}`,
      });
    const send = async (key: string): Promise<Answer> => {
      const res = await fetch(`${server.url}/api/v1/cases`, {
        method: 'POST',
        headers: { ...supervisor, 'content-type': 'application/json', 'idempotency-key': key },
        body: body(key),
      });
      return {
        status: res.status,
        body: await res.text(),
        replayed: res.headers.get('idempotent-replayed') === 'true',
      };
    };

    const keys = Array.from({ length: REPORTS }, (_, i) => `crash-${run}-${String(i).padStart(5, '0')}`);
    const slices = Array.from({ length: KILLS + 1 }, (_, r) =>
      keys.slice(Math.floor((r * REPORTS) / (KILLS + 1)), Math.floor(((r + 1) * REPORTS) / (KILLS + 1))),
    );
    const acknowledged = new Map<string, string>();
    const refused: string[] = [];
    const retried = new Map<string, Answer>();
    const cutOff: number[] = [];

    /** Sends `batch` CONCURRENCY at a time; kills the server after `killAfter` answers. Returns the unanswered keys. */
    const load = async (batch: string[], killAfter: number) => {
      const queue = [...batch];
      const unanswered: string[] = [];
      let answered = 0;
      let killed = false;
      let inFlight = 0;
      const worker = async () => {
        for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
          if (killed) {
            unanswered.push(key);
            continue;
          }
          inFlight++;
          try {
            const a = await send(key);
            if (a.status === 201) acknowledged.set(key, a.body);
            else refused.push(`${key}: ${a.status} ${a.body}`);
            answered++;
            if (answered >= killAfter && !killed) {
              killed = true;
              cutOff.push(inFlight - 1);
              server.child.kill('SIGKILL');
            }
          } catch {
            // No answer: the connection died with the process.
            unanswered.push(key);
          } finally {
            inFlight--;
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      return unanswered;
    };

    let unanswered: string[] = [];
    for (let round = 0; round <= KILLS; round++) {
      if (round > 0) {
        // The outbox after the restart: every unanswered request again, with its key, at once.
        const queue = [...unanswered];
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            for (let key = queue.shift(); key !== undefined; key = queue.shift())
              retried.set(key, await send(key));
          }),
        );
      }
      const slice = slices[round] as string[];
      const killAfter =
        round < KILLS ? Math.floor(slice.length * (0.3 + 0.4 * Math.random())) : Number.POSITIVE_INFINITY;
      unanswered = await load(slice, killAfter);
      if (round < KILLS) {
        expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
        expect(unanswered.length).toBeGreaterThan(0);
        server = await startServer(st.env);
      }
    }
    // Every kill cut requests off in the middle, not only before they were sent.
    expect(cutOff).toHaveLength(KILLS);
    for (const n of cutOff) expect(n).toBeGreaterThan(0);
    expect(unanswered).toEqual([]);
    expect(refused).toEqual([]);
    // Every retry is answered with the report at once: a replay of what was stored before the
    // kill, or the first run of a request the kill cut off. Never 409 "still in progress".
    const retryStatuses = [...retried.values()].map((a) => a.status);
    expect(retryStatuses.filter((s) => s !== 201)).toEqual([]);
    for (const [key, a] of retried) acknowledged.set(key, a.body);
    expect(acknowledged.size).toBe(REPORTS);

    // A replay of an acknowledged report is its stored answer.
    for (const key of [keys[0], keys[Math.floor(REPORTS / 2)], keys[REPORTS - 1]] as string[]) {
      const again = await send(key);
      expect(again).toEqual({ status: 201, body: acknowledged.get(key), replayed: true });
    }

    // Exactly once: one case per key, read back through the case list.
    const admin = await login(server.url, 'admin');
    const perKey = new Map<string, number>();
    let cursor: string | null = null;
    do {
      const page: { items: { description: string }[]; nextCursor: string | null } = await getJson(
        `${server.url}/api/v1/cases?state=all&limit=200&q=${encodeURIComponent(`断电测试 crash-${run}`)}${cursor ? `&cursor=${cursor}` : ''}`,
        admin,
      );
      for (const c of page.items) {
        const key = c.description.replace('断电测试 ', '');
        perKey.set(key, (perKey.get(key) ?? 0) + 1);
      }
      cursor = page.nextCursor;
    } while (cursor);
    const twice = [...perKey].filter(([, n]) => n !== 1);
    expect(twice).toEqual([]);
    expect(perKey.size).toBe(REPORTS);
    // Each answer names its own case: the ids of all answers are distinct.
    const ids = new Set([...acknowledged.values()].map((b) => (JSON.parse(b) as { id: number }).id));
    expect(ids.size).toBe(REPORTS);

    const replayedRetries = [...retried.values()].filter((a) => a.replayed).length;
    console.log(
      `[crash ${kind}] ${REPORTS} reports, ${KILLS} kills cutting off ${cutOff.join(' + ')} requests in flight; ${retried.size} retried after the restarts (${replayedRetries} committed before the kill and replayed, ${retried.size - replayedRetries} run then); ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});
