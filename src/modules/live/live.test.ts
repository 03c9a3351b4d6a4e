/** The live feed over real HTTP: server-sent counts and case events, scope, shutdown. */
import http from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, expectError, type Fixtures, fixtures, loginAll, type Tokens } from '../cases/testkit.js';

interface SseEvent {
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: event payloads differ per event name
  data: any;
}

/** Reads a text/event-stream response as it arrives (what a browser's EventSource does). */
async function openStream(base: string, headers: Record<string, string>) {
  // A socket of its own (no agent pool): what is left open after a test is the server's doing.
  const req = http.get(`${base}/api/v1/live/stream`, { headers, agent: false });
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  const events: SseEvent[] = [];
  let ended = false;
  const reading = (async () => {
    let buf = '';
    try {
      for await (const chunk of res.setEncoding('utf8')) {
        buf += chunk;
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) events.push({ event, data: JSON.parse(data.join('\n')) });
        }
      }
    } catch {
      // aborted by close()
    }
    ended = true;
  })();
  return {
    res,
    events,
    get ended() {
      return ended;
    },
    reading,
    /** The first event from index `from` on that matches, waiting up to `ms`. */
    async next(match: (e: SseEvent) => boolean, from = 0, ms = 8000): Promise<SseEvent> {
      const until = Date.now() + ms;
      for (;;) {
        const hit = events.slice(from).find(match);
        if (hit) return hit;
        if (Date.now() > until || ended) throw new Error(`no matching event; got ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => req.destroy(),
  };
}

describe.each(testStores())('live feed (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  let base: string;
  let closed = false;

  beforeAll(async () => {
    ts = await openTestStore(kind);
    // With DATABASE_URL the feed LISTENs on its own connection, as a production server does.
    app = await testApp(ts.store, ts.url ? { DATABASE_URL: ts.url } : {});
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  }, 120_000);
  afterAll(async () => {
    if (!closed) await app?.close();
    await ts?.dispose();
  });

  const report = (user: 'supervisor' | 'intake2', at: Fixtures['supervised'], source: string) =>
    c.report(user, {
      source,
      kind: 'event',
      categoryCode: fx.category.code,
      lng: at.lng,
      lat: at.lat,
      address: '实时推送测试',
      description: '实时推送测试',
    });
  const openInScope = async (prefix: string) =>
    Number(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases
          WHERE grid_code LIKE ${`${prefix}%`} AND state NOT IN ('rejected', 'closed', 'voided', 'merged')`.execute(
          ts.store.db,
        )
      ).rows[0]?.n,
    );

  it('answers 401 without a login, 403 without case.read, 400 to unknown parameters', async () => {
    for (const url of ['/api/v1/live/stream', '/api/v1/live/counts']) {
      expectError(await app.inject({ method: 'GET', url }), 401, 'UNAUTHENTICATED');
      expectError(await c.call('citizen', 'GET', url), 403, 'FORBIDDEN');
      expectError(await c.call('intake', 'GET', `${url}?x=1`), 400, 'VALIDATION_FAILED');
    }
  });

  it('counts the cases of my scope', async () => {
    await report('supervisor', fx.supervised, 'supervisor');
    const mine = (await c.call('intake', 'GET', '/api/v1/live/counts')).json();
    expect(mine.open).toBe(await openInScope('510104'));
    expect(mine.open).toBeGreaterThan(0);
    expect(mine.reportedToday).toBeGreaterThanOrEqual(1);
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(mine.byStatus)).toBe(mine.open);
    expect(sum(mine.byLight)).toBe(mine.open);
    const other = (await c.call('intake2', 'GET', '/api/v1/live/counts')).json();
    expect(other.open).toBe(await openInScope('510105'));
    expect(other.reportedToday).toBeLessThan(mine.reportedToday);
    const leader = (await c.call('leader', 'GET', '/api/v1/live/counts')).json();
    expect(leader.open).toBe(await openInScope(''));
  });

  it('streams counts at once, then case events and new counts to whoever may see the case', async () => {
    const intake = await openStream(base, tokens.intake);
    const intake2 = await openStream(base, tokens.intake2);
    expect(intake.res.statusCode).toBe(200);
    expect(intake.res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(intake.res.headers['cache-control']).toMatch(/no-cache/);
    expect(intake.res.headers['x-accel-buffering']).toBe('no');
    const first = (await intake.next((e) => e.event === 'counts')).data;
    const first2 = (await intake2.next((e) => e.event === 'counts')).data;
    expect(first.open).toBe(await openInScope('510104'));

    const created = await report('supervisor', fx.supervised, 'supervisor');
    const seen = await intake.next((e) => e.event === 'case' && e.data.id === created.id);
    expect(seen.data).toEqual({
      id: created.id,
      number: created.number,
      status: created.state,
      light: created.clock?.light ?? null,
      action: 'report',
    });
    const after = await intake.next((e) => e.event === 'counts' && e.data.open === first.open + 1);
    expect(after.data.reportedToday).toBe(first.reportedToday + 1);
    expect(after.data.byStatus[created.state]).toBe(first.byStatus[created.state] + 1);

    // intake2 (another district) hears of its own district's case, never of the first one.
    const theirs = await report('intake2', fx.otherDistrict, 'public');
    await intake2.next((e) => e.event === 'case' && e.data.id === theirs.id);
    await intake2.next((e) => e.event === 'counts' && e.data.open === first2.open + 1);
    expect(intake2.events.some((e) => e.event === 'case' && e.data.id === created.id)).toBe(false);
    // An action on a case reaches the stream with its name (督办 leaves the counts as they are).
    const from = intake.events.length;
    await c.ok('leader', created.id, 'urge', { reason: '请尽快处理' });
    const urged = await intake.next((e) => e.event === 'case' && e.data.id === created.id, from);
    expect(urged.data.action).toBe('urge');
    expect(intake.events.some((e) => e.event === 'case' && e.data.id === theirs.id)).toBe(false);
    intake.close();
    intake2.close();
    await Promise.all([intake.reading, intake2.reading]);
  });

  it('ends open streams on shutdown instead of hanging', async () => {
    const s = await openStream(base, tokens.leader);
    await s.next((e) => e.event === 'counts');
    const started = Date.now();
    await Promise.race([
      app.close(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('close() hung')), 5000)),
    ]);
    closed = true;
    await s.reading;
    expect(s.ended).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
