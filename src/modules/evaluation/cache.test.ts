/**
 * The cache of finished periods: a second evaluation of a finished period is answered from it
 * (proved by a planted change showing through), an unfinished period and a drill-down never use
 * it, any change of the reference data the engine reads misses it, and writing history empties it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { SUBJECT_TYPES } from '../../domain/evaluation/index.js';
import { seedHistory } from '../../seed/history.js';
import { cacheKey, clearEvaluationCache } from './cache.js';
import { type ComputeInput, compute } from './compute.js';
import { periodOf } from './period.js';
import { loadReference } from './repo.js';
import { HISTORY } from './testkit.js';

describe.each(testStores())('evaluation cache (%s)', (kind) => {
  let ts: TestStore;
  let input: ComputeInput;
  const rows = async () =>
    Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM evaluation_cache`.execute(ts.store.db)).rows[0]?.n,
    );

  beforeAll(async () => {
    ts = await openTestStore(kind);
    await seedHistory(ts.store, HISTORY);
    const p = periodOf('month', '2026-01-01');
    input = {
      from: p.from,
      to: p.to,
      filters: {},
      gridPrefix: '',
      types: SUBJECT_TYPES,
      ref: await loadReference(ts.store.db),
    };
  }, 120_000);
  afterAll(async () => {
    await ts?.dispose();
  });

  it('answers a finished period again from the cache, with the same figures', async () => {
    await clearEvaluationCache(ts.store.db);
    const fresh = await compute(ts.store.db, input);
    expect(await rows()).toBe(1);
    const again = await compute(ts.store.db, input);
    expect(again.tallies).toEqual(fresh.tallies);
    // A planted change shows through, so the second answer came from the cache …
    const department = [...(fresh.tallies.get('department')?.keys() ?? [])][0] as string;
    const due = fresh.tallies.get('department')?.get(department)?.dueCount?.numerator as number;
    expect(due).toBeGreaterThan(0);
    await sql`UPDATE evaluation_cache SET tallies = jsonb_set(tallies, ${`{department,${department},dueCount,numerator}`}::text[], '9999')`.execute(
      ts.store.db,
    );
    const planted = await compute(ts.store.db, input);
    expect(planted.tallies.get('department')?.get(department)?.dueCount?.value).toBe(9999);
    // … and a read that bypasses it, or one after clearing it, reads the log again.
    const bypass = await compute(ts.store.db, { ...input, cache: false });
    expect(bypass.tallies).toEqual(fresh.tallies);
    await clearEvaluationCache(ts.store.db);
    expect((await compute(ts.store.db, input)).tallies).toEqual(fresh.tallies);
  }, 60_000);

  it('never keeps an unfinished period or a drill-down', async () => {
    await clearEvaluationCache(ts.store.db);
    const running = { ...input, to: new Date(Date.now() + 86_400_000) };
    await compute(ts.store.db, running);
    expect(await rows()).toBe(0);
    const fresh = await compute(ts.store.db, input);
    const [subject, cells] = [...(fresh.tallies.get('grid') ?? new Map())][0] ?? [];
    const drill = await compute(ts.store.db, input, {
      type: 'grid',
      subject: subject as string,
      indicator: 'filedCount',
      part: 'numerator',
    });
    expect(drill.caseIds).toHaveLength(cells?.filedCount?.numerator as number);
    expect(await rows()).toBe(1);
  }, 60_000);

  it('keys on everything besides the log: period, filters, scope, types, reference data, subjects in scope', async () => {
    const base = cacheKey(input);
    expect(cacheKey({ ...input, filters: { sources: ['public'], areaClasses: ['A'] } })).toBe(
      cacheKey({ ...input, filters: { areaClasses: ['A'], sources: ['public'] } }),
    );
    expect(cacheKey({ ...input, types: [...SUBJECT_TYPES].reverse() })).toBe(base);
    const variants: ComputeInput[] = [
      { ...input, to: new Date(input.to.getTime() - 1) },
      { ...input, filters: { sources: ['public'] } },
      { ...input, gridPrefix: '510104' },
      { ...input, types: ['grid'] },
      { ...input, ref: { ...input.ref, supervisorGrids: { ...input.ref.supervisorGrids, '999': ['x'] } } },
      { ...input, ref: { ...input.ref, departmentParents: { ...input.ref.departmentParents, X: 'Y' } } },
      {
        ...input,
        ref: {
          ...input.ref,
          collectionTeams: { ...input.ref.collectionTeams, '999': { team: 'T', company: 'C' } },
        },
      },
      // A grid drawn, or an operator hired, after a period was cached is listed in it too.
      {
        ...input,
        ref: {
          ...input.ref,
          gridAreaClasses: new Map([...input.ref.gridAreaClasses, ['510104999999999', 'A']]),
        },
      },
      {
        ...input,
        ref: {
          ...input.ref,
          userRoles: new Map([...input.ref.userRoles, ['999', 'intake']]),
          userDivisions: new Map([...input.ref.userDivisions, ['999', '510104']]),
        },
      },
    ];
    const keys = variants.map(cacheKey);
    expect(new Set([base, ...keys]).size).toBe(variants.length + 1);
  });

  it('is emptied when history is written (past periods get new events)', async () => {
    await compute(ts.store.db, input);
    expect(await rows()).toBeGreaterThan(0);
    await seedHistory(ts.store, {
      from: new Date('2026-02-10T00:00:00+08:00'),
      days: 1,
      seed: 3,
      casesPerDay: 5,
    });
    expect(await rows()).toBe(0);
  }, 60_000);
});
