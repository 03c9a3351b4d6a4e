/**
 * The facts kept as the loop runs are the facts the log gives: cases walked through the API
 * (each event projected in its own transaction by advance) and a seeded history equal what a
 * rebuild from the log writes; and after a crash (facts truncated or damaged mid-way, a rebuild
 * that stopped half done) a rebuild gives the same rows and the same figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../../test/helpers/stores.js';
import { SUBJECT_TYPES } from '../../../domain/evaluation/index.js';
import type { Database } from '../../../platform/db/schema.js';
import type { ApiApp } from '../../../platform/http/types.js';
import { seedHistory } from '../../../seed/history.js';
import { client, fixtures, loginAll } from '../../cases/testkit.js';
import { compute } from '../compute.js';
import { periodOf } from '../period.js';
import { loadReference } from '../repo.js';
import { HISTORY } from '../testkit.js';
import { rebuildAllFacts } from './rebuild.js';

/** Both fact tables as sorted text rows. */
async function snapshot(db: Kysely<Database>) {
  const cases = await sql<{ r: string }>`
    SELECT (to_jsonb(f) - 'running')::text || (f.running)::text AS r FROM eval_case_facts f ORDER BY case_id`.execute(
    db,
  );
  const steps = await sql<{ r: string }>`
    SELECT to_jsonb(s)::text AS r FROM eval_step_facts s ORDER BY case_id, seq`.execute(db);
  return { cases: cases.rows.map((x) => x.r), steps: steps.rows.map((x) => x.r) };
}

describe.each(testStores())('evaluation facts rebuild (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-facts-'));

  beforeAll(async () => {
    ts = await openTestStore(kind);
    await seedHistory(ts.store, HISTORY);
    app = await testApp(ts.store, { DATA_DIR: dataDir });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const figures = async () => {
    const p = periodOf('custom', '2026-01-06', '2026-01-16');
    const { tallies } = await compute(ts.store.db, {
      from: p.from,
      to: p.to,
      filters: {},
      gridPrefix: '',
      types: SUBJECT_TYPES,
      ref: await loadReference(ts.store.db),
      cache: false,
    });
    return JSON.stringify([...tallies].map(([t, m]) => [t, [...m].sort()]));
  };

  it('facts projected event by event through the API equal the rebuild from the log', async () => {
    const c = client(app, await loginAll(app));
    const fx = await fixtures(ts.store);
    const after = await c.upload('handler');
    const report = () =>
      c.report('supervisor', {
        source: 'supervisor',
        kind: 'event',
        categoryCode: fx.category.code,
        lng: fx.supervised.lng,
        lat: fx.supervised.lat,
        address: '锦江区测试路 1 号',
        description: '暴露垃圾一处',
        photos: [],
      });
    const a = await report();
    await c.ok('intake', a.id, 'intake');
    await c.ok('shiftlead', a.id, 'file');
    await c.ok('dispatcher', a.id, 'dispatch', { departmentCode: 'SZ-01' });
    await c.ok('dept', a.id, 'sign');
    await c.ok('handler', a.id, 'feedback', { photos: [after] });
    await c.ok('intake', a.id, 'request_check');
    await c.ok('supervisor', a.id, 'check_fail', { reason: '垃圾未清理干净' });
    await c.ok('handler', a.id, 'feedback', { photos: [after] });
    await c.ok('intake', a.id, 'request_check');
    await c.ok('supervisor', a.id, 'check_pass');
    await c.ok('shiftlead', a.id, 'close');
    const b = await report();
    await c.ok('intake', b.id, 'intake');
    await c.ok('shiftlead', b.id, 'file');

    const live = await snapshot(ts.store.db);
    const walked = live.steps.filter((r) => [a.id, b.id].includes(JSON.parse(r).case_id));
    expect(walked).toHaveLength(15);
    const byCase = await ts.store.db
      .selectFrom('eval_case_facts')
      .select(['case_id', 'state', 'closed_at', 'check_fail_at', 'filed_at'])
      .where('case_id', 'in', [String(a.id), String(b.id)])
      .orderBy('case_id')
      .execute();
    expect(byCase.map((r) => r.state)).toEqual(['closed', 'filed']);
    expect(byCase[0]?.closed_at).not.toBeNull();
    expect(byCase[0]?.check_fail_at).not.toBeNull();
    expect(byCase[1]?.closed_at).toBeNull();

    await rebuildAllFacts(ts.store.db, { chunk: 173 });
    expect(await snapshot(ts.store.db)).toEqual(live);
  }, 120_000);

  it('after a crash (facts truncated, damaged, a rebuild stopped mid-way) a rebuild gives the same facts and figures', async () => {
    const before = await snapshot(ts.store.db);
    const figuresBefore = await figures();
    expect(before.cases.length).toBeGreaterThan(500);
    expect(figuresBefore.length).toBeGreaterThan(1000);

    // Damage: half the step rows gone, case rows wrong, then a rebuild that dies after one chunk.
    await sql`DELETE FROM eval_step_facts WHERE seq % 2 = 0`.execute(ts.store.db);
    await sql`UPDATE eval_case_facts SET state = 'closed', void_at = now(), filed_at = NULL WHERE case_id % 3 = 0`.execute(
      ts.store.db,
    );
    expect(await figures()).not.toEqual(figuresBefore);
    await expect(
      rebuildAllFacts(ts.store.db, {
        chunk: 211,
        onProgress: () => {
          throw new Error('crash');
        },
      }),
    ).rejects.toThrow('crash');
    const half = await snapshot(ts.store.db);
    expect(half.cases.length).toBe(211);
    expect(await figures()).not.toEqual(figuresBefore);

    const r = await rebuildAllFacts(ts.store.db, { chunk: 211 });
    expect(r.cases).toBe(before.cases.length);
    expect(await snapshot(ts.store.db)).toEqual(before);
    expect(await figures()).toEqual(figuresBefore);
  }, 180_000);
});
