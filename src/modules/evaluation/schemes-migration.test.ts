/**
 * Migration 0020 ships the corrected 立案数分值 bands as a new version of each national scheme that
 * holds the wrong ones (v1 as shipped before stays, frozen), keeps what a city changed, and leaves
 * alone a scheme whose bands the city already set; a database that never wrote the schemes gets
 * the corrected definitions as their first version.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import {
  type CountBand,
  type EvaluationScheme,
  NATIONAL_SCHEMES,
  type SchemeIndicator,
} from '../../domain/evaluation/index.js';
import { MIGRATIONS_DIR } from '../../platform/db/migrate.js';
import type { Database } from '../../platform/db/schema.js';
import { resolveScheme } from './schemes.js';

/** The bands shipped before 0020: departments inverted, one set for every region level. */
const OLD_DEPARTMENT: CountBand[] = [
  { min: 501, score: 100 },
  { min: 201, max: 500, score: 90 },
  { min: 101, max: 200, score: 75 },
  { min: 51, max: 100, score: 60 },
  { min: 1, max: 50, score: 40 },
];
const OLD_REGION: CountBand[] = [
  { min: 0, max: 50, score: 100 },
  { min: 51, max: 100, score: 90 },
  { min: 101, max: 200, score: 75 },
  { min: 201, max: 400, score: 60 },
  { min: 401, max: 800, score: 40 },
];

/** A scheme's indicators as shipped before 0020 (the count's bands the old ones, no area classes). */
function asShippedBefore(s: EvaluationScheme, key: string, bands: CountBand[]): SchemeIndicator[] {
  return s.indicators.map((i) =>
    i.key === key ? { key: i.key, weight: i.weight, transform: i.transform, bands } : i,
  );
}

async function writeVersion(
  db: Kysely<Database>,
  s: EvaluationScheme,
  version: number,
  indicators: SchemeIndicator[],
) {
  await db
    .insertInto('evaluation_schemes')
    .values({ id: s.id, subject_type: s.subjectType, shipped: true })
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('evaluation_scheme_versions')
    .values({
      scheme_id: s.id,
      version,
      name_zh: s.name.zh,
      name_en: s.name.en,
      indicators: JSON.stringify(indicators),
      grades: JSON.stringify(s.grades),
      note: null,
      created_by: null,
    })
    .execute();
}

const versions = async (db: Kysely<Database>, id: string) =>
  (
    await db
      .selectFrom('evaluation_scheme_versions')
      .select(['version', 'indicators', 'note'])
      .where('scheme_id', '=', id)
      .orderBy('version')
      .execute()
  ).map((r) => ({
    version: r.version,
    indicators: (typeof r.indicators === 'string'
      ? JSON.parse(r.indicators)
      : r.indicators) as SchemeIndicator[],
    note: r.note,
  }));

describe.each(testStores())('migration 0020: corrected count bands as new scheme versions (%s)', (kind) => {
  let ts: TestStore;
  const N = NATIONAL_SCHEMES;
  let districtAfterMigration: unknown[] = [];

  beforeAll(async () => {
    ts = await openTestStore(kind);
    const db = ts.store.db;
    // A database that had the schemes as shipped before, where a city then changed two of them.
    await writeVersion(db, N.department, 1, asShippedBefore(N.department, 'caseCount', OLD_DEPARTMENT));
    await writeVersion(db, N.grid, 1, asShippedBefore(N.grid, 'filedCount', OLD_REGION));
    const street = asShippedBefore(N.street, 'filedCount', OLD_REGION);
    await writeVersion(db, N.street, 1, street);
    // The city re-weighted the street scheme, keeping the wrong bands.
    const reweighted = street.map((i) => ({
      ...i,
      weight: i.key === 'closeRate' ? 40 : i.key === 'onTimeCloseRate' ? 20 : i.weight,
    }));
    await writeVersion(db, N.street, 2, reweighted);
    // The city set its own community bands already.
    const own = N.community.indicators.map((i) =>
      i.key === 'filedCount'
        ? { key: i.key, weight: i.weight, transform: i.transform, bands: [{ min: 0, score: 77 }] }
        : i,
    );
    await writeVersion(db, N.community, 1, asShippedBefore(N.community, 'filedCount', OLD_REGION));
    await writeVersion(db, N.community, 2, own);
    const text = fs.readFileSync(path.join(MIGRATIONS_DIR, '0020_evaluation_standard.sql'), 'utf8');
    await sql.raw(text).execute(db);
    districtAfterMigration = await versions(db, 'national-district');
  }, 120_000);
  afterAll(async () => {
    await ts?.dispose();
  });

  it('adds the corrected version next to the frozen v1: departments’ bands now give fewer cases more', async () => {
    const v = await versions(ts.store.db, 'national-department');
    expect(v.map((x) => x.version)).toEqual([1, 2]);
    expect(v[0]?.indicators).toEqual(asShippedBefore(N.department, 'caseCount', OLD_DEPARTMENT));
    expect(v[1]?.indicators).toEqual(N.department.indicators);
    expect(v[1]?.note).toContain('立案数分值');
    const latest = await resolveScheme(ts.store.db, 'department');
    expect(latest.version).toBe(2);
    expect(latest.indicators.find((i) => i.key === 'caseCount')?.bands?.[0]).toEqual({
      min: 0,
      max: 50,
      score: 100,
    });
  });

  it('gives each region level its own bands per area class', async () => {
    const v = await versions(ts.store.db, 'national-grid');
    expect(v.map((x) => x.version)).toEqual([1, 2]);
    expect(v[1]?.indicators).toEqual(N.grid.indicators);
  });

  it('keeps a city’s weights and replaces only the wrong bands', async () => {
    const v = await versions(ts.store.db, 'national-street');
    expect(v.map((x) => x.version)).toEqual([1, 2, 3]);
    const latest = v[2]?.indicators ?? [];
    expect(latest.map((i) => [i.key, i.weight])).toEqual(v[1]?.indicators.map((i) => [i.key, i.weight]));
    const filed = N.street.indicators.find((i) => i.key === 'filedCount');
    expect(latest.find((i) => i.key === 'filedCount')).toEqual(filed);
  });

  it('leaves alone bands a city set itself, and schemes the database never had', async () => {
    expect((await versions(ts.store.db, 'national-community')).map((x) => x.version)).toEqual([1, 2]);
    expect(districtAfterMigration).toEqual([]);
    // Written on first use with the corrected definition, as version 1.
    const district = await resolveScheme(ts.store.db, 'district');
    expect(district).toMatchObject({ version: 1, indicators: N.district.indicators });
    const centre = await resolveScheme(ts.store.db, 'center');
    expect(centre).toMatchObject({ id: 'national-center', version: 1 });
  });

  it('never edits a version in place (the database refuses)', async () => {
    await expect(
      sql`UPDATE evaluation_scheme_versions SET note = 'x' WHERE scheme_id = 'national-department'`.execute(
        ts.store.db,
      ),
    ).rejects.toThrow(/frozen/);
  });
});
