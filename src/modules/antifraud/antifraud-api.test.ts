/**
 * Collector anti-fraud through the real parts, on both stores: photos uploaded and hashed by
 * sharp (a re-encoded, brightened copy found by Hamming distance in SQL), a report far from the
 * reporter's own uploaded track, the scan of new reports, the review queue over HTTP (401 / 403
 * / 400 / 409), and a confirmed flag counted in the collection company's evaluation.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { DEFAULT_THRESHOLDS, distanceM, hamming } from '../../domain/antifraud/index.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, expectError, type Fixtures, fixtures, loginAll, type Tokens } from '../cases/testkit.js';
import { dHashOfImage } from './photo-hash.js';
import { scanNew } from './scan.js';

/** A 96×72 photo-like picture: smooth blobs from a seed (different seeds, different scenes). */
async function scene(seed: number): Promise<Buffer> {
  const w = 96;
  const h = 72;
  const raw = Buffer.alloc(w * h * 3);
  const blobs = Array.from({ length: 6 }, (_, i) => ({
    x: ((seed * 37 + i * 53) % 97) / 97,
    y: ((seed * 61 + i * 29) % 89) / 89,
    c: [(seed * 17 + i * 71) % 256, (seed * 43 + i * 19) % 256, (seed * 7 + i * 101) % 256],
  }));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < 3; ch++) {
        let v = 0;
        for (const b of blobs) {
          const d2 = (x / w - b.x) ** 2 + (y / h - b.y) ** 2;
          v += (b.c[ch] as number) * Math.exp(-d2 * 12);
        }
        raw[(y * w + x) * 3 + ch] = Math.min(255, Math.round(v / 2));
      }
    }
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toBuffer();
}

describe.each(testStores())('anti-fraud (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let fx: Fixtures;
  let c: ReturnType<typeof client>;
  let dataDir: string;
  const cases: number[] = [];

  beforeAll(async () => {
    ts = await openTestStore(kind);
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cityloop-antifraud-'));
    app = await testApp(ts.store, { DATA_DIR: dataDir });
    tokens = await loginAll(app);
    fx = await fixtures(ts.store);
    c = client(app, tokens);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  const upload = async (body: Buffer, type: string) => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/media',
      headers: { ...tokens.supervisor, 'content-type': type },
      payload: body,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().sha256 as string;
  };
  const report = async (where: { lng: number; lat: number }, photos: string[]) => {
    const r = await c.call('supervisor', 'POST', '/api/v1/cases', {
      source: 'supervisor',
      kind: 'event',
      categoryCode: fx.category.code,
      lng: where.lng,
      lat: where.lat,
      address: '测试路 1 号',
      description: '防作弊测试上报',
      photos,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as number;
  };
  const flags = async () =>
    (
      await sql<{
        id: string;
        kind: string;
        case_id: number;
        related_case_id: number | null;
        status: string;
      }>`
        SELECT id, kind, case_id, related_case_id, status FROM fraud_flags ORDER BY id`.execute(ts.store.db)
    ).rows;

  it('a near-same photo is a few bits away, another scene about half of them', async () => {
    const a = await scene(1);
    const copy = await sharp(a).modulate({ brightness: 1.08 }).jpeg({ quality: 70 }).toBuffer();
    const other = await scene(2);
    const [ha, hc, ho] = await Promise.all([dHashOfImage(a), dHashOfImage(copy), dHashOfImage(other)]);
    expect(hamming(ha, hc)).toBeLessThanOrEqual(4);
    expect(hamming(ha, ho)).toBeGreaterThan(12);
  });

  it('flags a reused photo and a report far from the track as they come in; nothing for honest ones', async () => {
    // Start the scan after everything already in the template.
    await sql`UPDATE fraud_scan_cursor SET last_case_id = (SELECT coalesce(max(id), 0) FROM cases)`.execute(
      ts.store.db,
    );
    // The farthest grid of the supervisor's own community (a report elsewhere is refused).
    const far = (
      await sql<{ lng: number; lat: number }>`
        SELECT ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat FROM grids g
         WHERE g.code LIKE ${`${fx.supervised.code.slice(0, 12)}%`}
         ORDER BY ST_DistanceSphere(ST_PointOnSurface(g.geom), ST_SetSRID(ST_MakePoint(${fx.supervised.lng}, ${fx.supervised.lat}), 4326)) DESC
         LIMIT 1`.execute(ts.store.db)
    ).rows[0] as { lng: number; lat: number };
    const apart = distanceM(fx.supervised.lng, fx.supervised.lat, far.lng, far.lat);
    expect(apart).toBeGreaterThan(300);
    const on = await c.call('supervisor', 'POST', '/api/v1/patrol/duty', { on: true });
    expect(on.statusCode, on.body).toBe(201);
    // The track: at the supervised grid from going on duty to a minute and a half later.
    const now = Date.now() + 500;
    const fixes = [0, 15, 30, 60, 90].map((s) => ({
      at: new Date(now + s * 1000).toISOString(),
      lng: fx.supervised.lng,
      lat: fx.supervised.lat,
    }));
    const up = await c.call('supervisor', 'POST', '/api/v1/patrol/positions', { positions: fixes });
    expect(up.statusCode, up.body).toBe(200);

    const original = await scene(3);
    const first = await report(fx.supervised, [await upload(original, 'image/png')]);
    const honest = await report(fx.supervised, [await upload(await scene(4), 'image/png')]);
    const reused = await sharp(original).modulate({ brightness: 1.05 }).jpeg({ quality: 75 }).toBuffer();
    const second = await report(fx.supervised, [await upload(reused, 'image/jpeg')]);
    const away = await report(far, [await upload(await scene(5), 'image/png')]);
    cases.push(first, honest, second, away);

    // Thresholds are configurable: the demo community is small, so "far" is 150 m here.
    const thresholds = { ...DEFAULT_THRESHOLDS, trackMaxDistanceM: 150, speedMinDistanceM: 150 };
    const scanned = await scanNew(ts.store.db, { dataDir, settleMs: 0, thresholds });
    expect(scanned).toMatchObject({ judged: 4, photosHashed: 4 });
    const found = await flags();
    expect(found.filter((f) => f.kind === 'photo_reuse')).toEqual([
      expect.objectContaining({ case_id: second, related_case_id: first, status: 'open' }),
    ]);
    expect(found.filter((f) => f.kind === 'off_track').map((f) => f.case_id)).toEqual([away]);
    expect(found.map((f) => f.case_id)).not.toContain(first);
    expect(found.map((f) => f.case_id)).not.toContain(honest);
    // A second pass judges nothing new and raises nothing twice.
    expect(await scanNew(ts.store.db, { dataDir, settleMs: 0, thresholds })).toMatchObject({
      judged: 0,
      flagsAdded: 0,
    });
    expect(await flags()).toHaveLength(found.length);
  }, 60_000);

  it('the review queue: 401 without login, 403 without the permission, 400 on bad input, changes nothing', async () => {
    const before = await flags();
    const id = before[0]?.id;
    const calls = [
      ['GET', '/api/v1/antifraud/flags'],
      ['GET', `/api/v1/antifraud/flags/${id}`],
      ['POST', `/api/v1/antifraud/flags/${id}/review`, { decision: 'confirm', reason: '照片重复' }],
      [
        'POST',
        '/api/v1/antifraud/scans',
        { from: '2026-01-01T00:00:00+08:00', to: '2026-01-02T00:00:00+08:00' },
      ],
    ] as const;
    for (const [method, url, payload] of calls) {
      expectError(await app.inject({ method, url, ...(payload ? { payload } : {}) }), 401, 'UNAUTHENTICATED');
      for (const user of ['supervisor', 'dept', 'handler', 'intake', 'dispatcher'] as const) {
        expectError(await c.call(user, method, url, payload), 403, 'FORBIDDEN');
      }
    }
    const bad = [
      ['GET', '/api/v1/antifraud/flags?status=maybe'],
      ['GET', '/api/v1/antifraud/flags?limit=0'],
      ['GET', '/api/v1/antifraud/flags/abc'],
      ['POST', `/api/v1/antifraud/flags/${id}/review`, { decision: 'confirm', reason: '' }],
      ['POST', `/api/v1/antifraud/flags/${id}/review`, { decision: 'maybe', reason: 'x' }],
      ['POST', `/api/v1/antifraud/flags/${id}/review`, { decision: 'confirm', reason: 'x', extra: 1 }],
    ] as const;
    for (const [method, url, payload] of bad) {
      const r = await c.call('leader', method, url, payload);
      expectError(r, 400, 'VALIDATION_FAILED');
      expect(r.json().error.messages.zh).toBeTruthy();
    }
    expectError(
      await c.call('leader', 'POST', '/api/v1/antifraud/scans', {
        from: '2026-02-01T00:00:00+08:00',
        to: '2026-01-01T00:00:00+08:00',
      }),
      400,
      'FRAUD_SCAN_RANGE',
    );
    expectError(await c.call('leader', 'GET', '/api/v1/antifraud/flags/999999'), 404, 'NOT_FOUND');
    expect(await flags()).toEqual(before);
  });

  it('confirm and dismiss with a reason, once; a confirmed flag counts in the company evaluation', async () => {
    const list = await c.call('shiftlead', 'GET', '/api/v1/antifraud/flags');
    expect(list.statusCode, list.body).toBe(200);
    const body = list.json();
    const reuse = body.items.find((f: { kind: string }) => f.kind === 'photo_reuse');
    expect(reuse).toMatchObject({
      status: 'open',
      case: { id: cases[2] },
      related: { id: cases[0] },
      reporter: { username: 'supervisor', team: { code: 'T510104' }, company: { code: 'JCXC' } },
    });
    expect(reuse.evidence.hammingBits).toBeLessThanOrEqual(6);
    expect(body.summary.find((s: { kind: string }) => s.kind === 'photo_reuse').open).toBe(1);

    const ok = await c.call('shiftlead', 'POST', `/api/v1/antifraud/flags/${reuse.id}/review`, {
      decision: 'confirm',
      reason: '同一照片重复上报',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'confirmed', reason: '同一照片重复上报' });
    expectError(
      await c.call('leader', 'POST', `/api/v1/antifraud/flags/${reuse.id}/review`, {
        decision: 'dismiss',
        reason: '再审',
      }),
      409,
      'FRAUD_FLAG_REVIEWED',
    );
    const offTrack = body.items.find((f: { kind: string }) => f.kind === 'off_track');
    const dismissed = await c.call('leader', 'POST', `/api/v1/antifraud/flags/${offTrack.id}/review`, {
      decision: 'dismiss',
      reason: '定位漂移',
    });
    expect(dismissed.json()).toMatchObject({ status: 'dismissed' });
    const audit = await sql<{ action: string }>`
      SELECT action FROM audit_log WHERE action LIKE 'antifraud.%' ORDER BY id`.execute(ts.store.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['antifraud.confirm', 'antifraud.dismiss']);

    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const q = `period=day&from=${day}`;
    for (const type of ['collection_company', 'collection_team'] as const) {
      const r = await c.call('leader', 'GET', `/api/v1/evaluation/results?subjectType=${type}&${q}`);
      expect(r.statusCode, r.body).toBe(200);
      const rows = r.json().rows as Array<{
        subjectId: string;
        indicators: Record<string, { value: number }>;
      }>;
      const mine = rows.find((x) => x.subjectId === (type === 'collection_company' ? 'JCXC' : 'T510104'));
      expect(mine?.indicators.confirmedFraudCount?.value).toBe(1);
      for (const other of rows.filter((x) => x !== mine))
        expect(other.indicators.confirmedFraudCount?.value ?? 0).toBe(0);
    }
    const drill = await c.call(
      'leader',
      'GET',
      `/api/v1/evaluation/drilldown?subjectType=collection_company&subject=JCXC&indicator=confirmedFraudCount&part=numerator&${q}`,
    );
    expect(drill.statusCode, drill.body).toBe(200);
    expect(drill.json().cases.map((x: { id: number }) => x.id)).toEqual([cases[2]]);
  }, 60_000);

  it('the batch over a period raises the same flags as the scan of new reports', async () => {
    await sql`DELETE FROM fraud_flags WHERE status = 'open'`.execute(ts.store.db);
    const kept = await flags();
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const r = await c.call('leader', 'POST', '/api/v1/antifraud/scans', { from, to });
    expect(r.statusCode, r.body).toBe(202);
    const jobId = r.json().id;
    let state = '';
    for (let i = 0; i < 600 && !['succeeded', 'failed'].includes(state); i++) {
      await new Promise((res) => setTimeout(res, 100));
      state = (await c.call('leader', 'GET', `/api/v1/jobs/${jobId}`)).json().state;
    }
    expect(state).toBe('succeeded');
    const after = await flags();
    // Reviewed flags keep their review (the job's default thresholds judge "far" at 500 m).
    expect(after.filter((f) => f.status !== 'open')).toEqual(kept);
    const reopened = after.filter((f) => f.status === 'open').map((f) => `${f.kind}:${f.case_id}`);
    expect(reopened).not.toContain(`photo_reuse:${cases[2]}`);
    expect(after.map((f) => `${f.kind}:${f.case_id}`)).toContain(`photo_reuse:${cases[2]}`);
  }, 120_000);
});
