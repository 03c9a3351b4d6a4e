/**
 * The covers services on each store: the import registers exactly the cover-class components,
 * and the state the SQL gives each cover (from the stored deadlines) is the domain's
 * coverState for flows of every shape, the exception and versioned limits included.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fcRuns } from '../../../test/helpers/fast-check-runs.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { coverState, deadlines, EMERGENCY_STEPS, type EmergencyFlow } from '../../domain/covers/emergency.js';
import { type Ctx, systemActor } from '../../platform/auth/actor.js';
import { createCase } from '../cases/commands.js';
import { IOT_ACTOR } from '../iot/alarms.js';
import { coverDashboard } from './dashboard.js';
import { importCovers, listCovers } from './register.js';
import { limitsInForce } from './repo.js';

const META = { ip: null, requestId: null, userAgent: null };
const MIN = 60_000;

describe.each(testStores())('covers services on %s', (kind) => {
  let t: TestStore;
  let ctx: Ctx;
  beforeAll(async () => {
    t = await openTestStore(kind);
    ctx = { db: t.store.db, actor: systemActor(), meta: META };
  }, 180_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('imports the cover-class components once, with type, owner and maintainer from the component', async () => {
    const first = await importCovers(ctx, { roadClass: 'arterial' });
    const expected = await sql<{ n: number }>`SELECT count(*)::int AS n FROM components
      WHERE category_code IN ('0101', '0102', '0103', '0105', '0107', '0111')`.execute(t.store.db);
    expect(first).toEqual({ registered: expected.rows[0]?.n, skippedWithoutOwner: 0 });
    expect(await importCovers(ctx, { roadClass: 'arterial' })).toEqual({
      registered: 0,
      skippedWithoutOwner: 0,
    });
    const wrong = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM covers c JOIN components k ON k.id = c.component_id
      WHERE c.owner_department_code IS DISTINCT FROM k.owning_department_code
         OR c.maintainer_department_code IS DISTINCT FROM k.maintaining_department_code
         OR (k.category_code = '0111') <> (c.cover_type = 'gas')
         OR (k.category_code = '0101') <> (c.cover_type = 'water')`.execute(t.store.db);
    expect(wrong.rows[0]?.n).toBe(0);
  });

  it('gives each cover the state the domain gives its flow', async () => {
    const covers = (await listCovers(ctx, { type: 'rain', limit: 40, offset: 0 })).items;
    expect(covers).toHaveLength(40);
    const limits = await limitsInForce(t.store.db);
    const now = new Date();
    // One case per cover, reported through the one intake door as the sensors do.
    const caseOf = new Map<string, number>();
    for (const c of covers) {
      const created = await createCase(
        { db: t.store.db, actor: IOT_ACTOR, meta: META },
        {
          source: 'iot',
          kind: 'component',
          categoryCode: '0103',
          componentCode: c.componentId,
          lng: c.location.lng,
          lat: c.location.lat,
          address: c.name,
          description: '井盖倾斜告警',
          urgency: 'urgent',
          photos: [],
        },
      );
      caseOf.set(c.componentId, created.id);
    }
    const flowArb = fc.record({
      ago: fc.integer({ min: 0, max: 48 * 60 }),
      gaps: fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 4 }),
      exception: fc.boolean(),
    });
    const samples = fc.sample(flowArb, { numRuns: fcRuns(covers.length) }).slice(0, covers.length);
    const expected = new Map<string, string>();
    for (const [i, s] of samples.entries()) {
      const cover = covers[i] as (typeof covers)[number];
      const noticed = new Date(now.getTime() - s.ago * MIN);
      let at = noticed.getTime();
      const steps = s.gaps
        .map((g, j) => {
          at += g * MIN;
          return { step: EMERGENCY_STEPS[j]!, at: new Date(at), photos: ['x'] };
        })
        .filter((x) => x.at <= now);
      const flow: EmergencyFlow = {
        noticedAt: noticed,
        steps,
        exception: s.exception ? { reason: '夜间施工' } : null,
      };
      const due = deadlines(flow, limits);
      const doneAt = (step: string) => steps.find((x) => x.step === step)?.at ?? null;
      await t.store.db
        .insertInto('cover_flows')
        .values({
          case_id: caseOf.get(cover.componentId) as number,
          component_id: cover.componentId,
          defect: 'displaced',
          noticed_at: noticed,
          limits_id: limits.id,
          exception_reason: flow.exception?.reason ?? null,
          exception_at: flow.exception ? noticed : null,
          exception_by: null,
          barrier_due: due.barrier,
          temporary_cover_due: due.temporary_cover,
          repair_due: due.repair,
          check_due: due.check,
          barrier_at: doneAt('barrier'),
          temporary_cover_at: doneAt('temporary_cover'),
          repair_at: doneAt('repair'),
          check_at: doneAt('check'),
          opened_by: null,
        })
        .execute();
      expected.set(cover.componentId, coverState(flow, limits, new Date()));
    }
    const after = (await listCovers(ctx, { type: 'rain', limit: 40, offset: 0 })).items;
    expect(Object.fromEntries(after.map((c) => [c.componentId, c.state]))).toEqual(
      Object.fromEntries(expected),
    );
    // The state filter and the totals agree with the same states.
    for (const state of ['open', 'made_safe', 'overdue'] as const) {
      const n = [...expected.values()].filter((x) => x === state).length;
      expect((await listCovers(ctx, { state, limit: 1, offset: 0 })).total).toBe(n);
    }
    const board = await coverDashboard(ctx, {});
    const open = [...expected.values()].filter((x) => x !== 'normal').length;
    expect(board.totals.open).toBe(open);
  });
});
