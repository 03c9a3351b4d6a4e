/** The unit of work under idempotent requests, on both stores. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { Store } from './store.js';
import { autonomous, openUnitOfWork } from './unit-of-work.js';

const later = new Date(Date.now() + 3_600_000);
const row = (key: string) => ({
  scope: 'unit-test',
  key,
  fingerprint: '0'.repeat(64),
  expires_at: later,
});

async function keys(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('idempotency_keys')
    .select('key')
    .where('scope', '=', 'unit-test')
    .orderBy('key')
    .execute();
  return rows.map((r) => r.key);
}

describe.each(testStores())('unit of work (%s)', (kind) => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = await openTestStore(kind);
  }, 120_000);
  afterAll(() => ts?.dispose());

  it('commits its writes and its services’ transactions together, or none of them', async () => {
    const { store } = ts;
    for (const end of ['rollback', 'commit'] as const) {
      const unit = await openUnitOfWork(store.db, store.autonomous);
      await unit.db
        .insertInto('idempotency_keys')
        .values(row(`${end}-plain`))
        .execute();
      // A service's own transaction inside the unit: done, yet durable only with the unit.
      await unit.db.transaction().execute((trx) =>
        trx
          .insertInto('idempotency_keys')
          .values(row(`${end}-trx`))
          .execute(),
      );
      // A failing one undoes its own part and nothing else.
      await expect(
        unit.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('idempotency_keys')
            .values(row(`${end}-failed`))
            .execute();
          throw new Error('service refused');
        }),
      ).rejects.toThrow('service refused');
      // Nothing is visible outside before the end (the embedded store has no outside meanwhile).
      if (kind === 'postgres') expect(await keys(store)).toEqual([]);
      await unit[end]();
      expect(unit.open).toBe(false);
      await expect(unit.db.selectFrom('idempotency_keys').select('key').execute()).rejects.toThrow(
        'unit of work already ended',
      );
    }
    expect(await keys(store)).toEqual(['commit-plain', 'commit-trx']);
  });

  it('writes through autonomous() at once and for good on PostgreSQL, inside the unit on the embedded store', async () => {
    const { store } = ts;
    const unit = await openUnitOfWork(store.db, store.autonomous);
    const handle = autonomous(unit.db);
    expect(handle === unit.db).toBe(kind === 'pglite');
    expect(autonomous(store.db)).toBe(store.db);
    await handle.insertInto('idempotency_keys').values(row('counter')).execute();
    await unit.rollback();
    expect((await keys(store)).includes('counter')).toBe(kind === 'postgres');
  });

  it.runIf(kind === 'postgres')('holds a twin insert of its uncommitted row until it ends', async () => {
    const { store } = ts;
    const unit = await openUnitOfWork(store.db, store.autonomous);
    await unit.db.insertInto('idempotency_keys').values(row('twin')).execute();
    let settled = false;
    const twin = store.db
      .insertInto('idempotency_keys')
      .values(row('twin'))
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst()
      .finally(() => {
        settled = true;
      });
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    await unit.commit();
    // The twin lost to the committed row.
    expect(await twin).toBeUndefined();
  });
});
