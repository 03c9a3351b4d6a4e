import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { officialDays, seedOfficialDays } from './official-days.js';
import { loadCalendar } from './repo.js';

describe.each(testStores())('official holidays on %s', (kind) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(kind);
  });
  afterAll(() => t?.dispose());

  it('fills the office calendar with every year the package knows, including 2025 for history', async () => {
    const cal = (await loadCalendar(t.store.db, 'office'))!;
    // 2025 Spring Festival: 01-28…02-04 off, Sunday 01-26 and Saturday 02-08 worked (国办发明电〔2024〕12号).
    for (const d of ['2025-01-28', '2025-02-04', '2025-10-08']) expect(cal.holidays).toContain(d);
    for (const d of ['2025-01-26', '2025-02-08']) expect(cal.makeupWorkdays).toContain(d);
    expect(cal.notes['2025-01-28']).toBe('春节');
    expect(cal.notes['2025-01-26']).toBe('春节调休');
    const known = Object.keys(officialDays().holidays);
    expect(cal.holidays.filter((d) => d.startsWith('2026')).sort()).toEqual(
      known.filter((d) => d.startsWith('2026')).sort(),
    );
    // The supervision schedule works every day: no holidays.
    expect((await loadCalendar(t.store.db, 'supervision'))!.holidays).toEqual([]);
  });

  it('never overwrites a year an admin has edited, and adds nothing twice', async () => {
    await t.store.db
      .deleteFrom('calendar_days')
      .where('calendar_id', '=', 'office')
      .where('day', '>=', '2024-01-01')
      .where('day', '<', '2025-01-01')
      .execute();
    await t.store.db
      .insertInto('calendar_days')
      .values({ calendar_id: 'office', day: '2024-03-01', kind: 'holiday', note: '本地假日' })
      .execute();
    const before = await t.store.db
      .selectFrom('calendar_days')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(await seedOfficialDays(t.store.db)).toEqual([]);
    const after = await t.store.db
      .selectFrom('calendar_days')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const cal = (await loadCalendar(t.store.db, 'office'))!;
    expect(cal.holidays.filter((d) => d.startsWith('2024'))).toEqual(['2024-03-01']);
  });

  it('fills a year that has no days at all', async () => {
    await t.store.db
      .deleteFrom('calendar_days')
      .where('calendar_id', '=', 'office')
      .where('day', '>=', '2023-01-01')
      .where('day', '<', '2024-01-01')
      .execute();
    expect(await seedOfficialDays(t.store.db)).toEqual([2023]);
    const cal = (await loadCalendar(t.store.db, 'office'))!;
    expect(cal.holidays).toContain('2023-10-01');
  });
});
