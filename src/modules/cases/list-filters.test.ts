/** GET /cases filters: each one alone against hand-made expectations, combined, paged, and 400s. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, type DemoUser, expectError, loginAll, type Tokens } from './testkit.js';

interface Made {
  id: number;
  number: string;
  gridCode: string;
  streetCode: string;
  communityCode: string;
}

describe.each(testStores())('case list filters (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let tokens: Tokens;
  let c: ReturnType<typeof client>;
  // A: 锦江区 street 1, B: 锦江区 another street, C: 青羊区 (another intake operator's district).
  let A: Made;
  let B: Made;
  let C: Made;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-list-filters-'));

  const pointIn = async (where: ReturnType<typeof sql>) => {
    const r = await sql<{ code: string; lng: number; lat: number }>`
      SELECT g.code, ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat
      FROM grids g WHERE ${where} ORDER BY g.code LIMIT 1`.execute(ts.store.db);
    const row = r.rows[0];
    if (!row) throw new Error('no grid for fixture');
    return row;
  };

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store, { DATA_DIR: dataDir });
    tokens = await loginAll(app);
    c = client(app, tokens);
    const a = await pointIn(sql`g.code LIKE '510104001%'`);
    const b = await pointIn(sql`g.code LIKE '510104002%'`);
    const cc = await pointIn(sql`g.code LIKE '510105%'`);
    const report = async (user: DemoUser, body: Record<string, unknown>): Promise<Made> => {
      const created = await c.report(user, { kind: 'event', ...body });
      return {
        id: created.id,
        number: created.number,
        gridCode: created.gridCode,
        streetCode: created.streetCode,
        communityCode: created.communityCode,
      };
    };
    A = await report('intake', {
      source: 'hotline_12345',
      categoryCode: '0102', // 事件 市容环境 / 暴露垃圾
      lng: a.lng,
      lat: a.lat,
      address: '东大街100号',
      description: '垃圾堆放，约占人行道 50% 宽度',
      urgency: 'urgent',
    });
    B = await report('intake', {
      source: 'public',
      kind: 'component',
      categoryCode: '0101', // 部件 公用设施 / 上水井盖
      lng: b.lng,
      lat: b.lat,
      address: '春熙路8号',
      description: 'cover_missing 井盖缺失',
    });
    C = await report('intake2', {
      source: 'leader',
      categoryCode: '0401', // 事件 突发事件 / 路面塌陷
      lng: cc.lng,
      lat: cc.lat,
      address: '东大街3号',
      description: '路面塌陷',
    });
    // The filters read the projection; give the three cases distinct lights, days (local +08:00
    // — C is 3 March locally but still 2 March in UTC), a department and a closed state.
    const set = (id: number, values: Record<string, unknown>) =>
      ts.store.db.updateTable('cases').set(values).where('id', '=', id).execute();
    const sz01 = await ts.store.db
      .selectFrom('departments')
      .select('id')
      .where('code', '=', 'SZ-01')
      .executeTakeFirstOrThrow();
    await set(A.id, {
      light: 'red',
      reported_at: new Date('2026-03-01T10:00:00+08:00'),
      department_id: sz01.id,
    });
    await set(B.id, { light: 'yellow', reported_at: new Date('2026-03-02T23:30:00+08:00') });
    await set(C.id, {
      light: 'green',
      reported_at: new Date('2026-03-03T00:30:00+08:00'),
      state: 'closed',
      closed_at: new Date('2026-03-04T00:00:00+08:00'),
    });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const list = async (query: string, user: DemoUser = 'admin') => {
    const res = await c.call(user, 'GET', `/api/v1/cases?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Array<{ id: number }>; total: number; nextCursor: string | null };
  };
  /** The ids found (sorted) — checked against the total too. */
  const ids = async (query: string, user: DemoUser = 'admin') => {
    const body = await list(query, user);
    expect(body.total).toBe(body.items.length);
    return body.items.map((i) => i.id).sort((x, y) => x - y);
  };
  const sorted = (...made: Made[]) => made.map((m) => m.id).sort((x, y) => x - y);

  it('without filters lists open cases by default and every case with state=all', async () => {
    expect(await ids('')).toEqual(sorted(A, B));
    expect(await ids('state=all')).toEqual(sorted(A, B, C));
  });

  it('q: a case number prefix, or text in the address or description with % and _ literal', async () => {
    expect(await ids(`state=all&q=${A.number}`)).toEqual(sorted(A));
    expect(await ids(`state=all&q=${encodeURIComponent('东大街')}`)).toEqual(sorted(A, C));
    expect(await ids(`state=all&q=${encodeURIComponent('50%')}`)).toEqual(sorted(A));
    expect(await ids(`state=all&q=${encodeURIComponent('%')}`)).toEqual(sorted(A));
    expect(await ids('state=all&q=_')).toEqual(sorted(B));
    expect(await ids('state=all&q=COVER')).toEqual(sorted(B));
    expect(await ids(`state=all&q=${encodeURIComponent('不存在的文字')}`)).toEqual([]);
  });

  it('categoryCode is a prefix (大类 / 小类), kind tells 部件 from 事件', async () => {
    expect(await ids('state=all&categoryCode=01')).toEqual(sorted(A, B));
    expect(await ids('state=all&categoryCode=01&kind=event')).toEqual(sorted(A));
    expect(await ids('state=all&categoryCode=0101')).toEqual(sorted(B));
    expect(await ids('state=all&categoryCode=04')).toEqual(sorted(C));
    expect(await ids('state=all&kind=component')).toEqual(sorted(B));
  });

  it('source, urgency, light', async () => {
    expect(await ids('state=all&source=hotline_12345')).toEqual(sorted(A));
    expect(await ids('state=all&source=leader')).toEqual(sorted(C));
    expect(await ids('state=all&source=iot')).toEqual([]);
    expect(await ids('state=all&urgency=urgent')).toEqual(sorted(A));
    expect(await ids('state=all&urgency=normal')).toEqual(sorted(B, C));
    expect(await ids('state=all&light=red')).toEqual(sorted(A));
    expect(await ids('state=all&light=yellow')).toEqual(sorted(B));
    expect(await ids('state=all&light=green')).toEqual(sorted(C));
  });

  it('district, street, community and grid match the case area by prefix', async () => {
    expect(await ids('state=all&districtCode=510104')).toEqual(sorted(A, B));
    expect(await ids('state=all&districtCode=510105')).toEqual(sorted(C));
    expect(await ids('state=all&streetCode=510104001')).toEqual(sorted(A));
    expect(await ids('state=all&streetCode=510104002')).toEqual(sorted(B));
    expect(await ids(`state=all&communityCode=${A.communityCode}`)).toEqual(sorted(A));
    expect(await ids(`state=all&gridCode=${B.gridCode}`)).toEqual(sorted(B));
    expect(A.streetCode).toBe('510104001');
    expect(B.streetCode).toBe('510104002');
  });

  it('stateIn lists states and replaces the open/all switch', async () => {
    expect(await ids('stateIn=closed')).toEqual(sorted(C));
    expect(await ids('stateIn=reported,closed')).toEqual(sorted(A, B, C));
    expect(await ids('stateIn=handling')).toEqual([]);
  });

  it('reportedFrom / reportedTo: whole local days, or exact instants', async () => {
    expect(await ids('state=all&reportedFrom=2026-03-02&reportedTo=2026-03-02')).toEqual(sorted(B));
    expect(await ids('state=all&reportedFrom=2026-03-02')).toEqual(sorted(B, C));
    expect(await ids('state=all&reportedTo=2026-03-01')).toEqual(sorted(A));
    expect(await ids('state=all&reportedFrom=2026-03-03')).toEqual(sorted(C));
    const instant = encodeURIComponent('2026-03-01T10:00:00+08:00');
    expect(await ids(`state=all&reportedTo=${instant}`)).toEqual(sorted(A));
    expect(await ids(`state=all&reportedFrom=${encodeURIComponent('2026-03-01T10:00:01+08:00')}`)).toEqual(
      sorted(B, C),
    );
  });

  it('departmentCode takes the department and every unit under it', async () => {
    expect(await ids('state=all&departmentCode=SZ')).toEqual(sorted(A));
    expect(await ids('state=all&departmentCode=SZ-01')).toEqual(sorted(A));
    expect(await ids('state=all&departmentCode=SZ-02')).toEqual([]);
    expect(await ids('state=all&departmentCode=NO-SUCH')).toEqual([]);
  });

  it('filters combine with AND and never widen the scope', async () => {
    const q = encodeURIComponent('东大街');
    expect(await ids(`state=all&q=${q}&districtCode=510104&light=red`)).toEqual(sorted(A));
    expect(await ids(`state=all&q=${q}&light=yellow`)).toEqual([]);
    expect(await ids('state=all&districtCode=510104&source=public&kind=component')).toEqual(sorted(B));
    // 锦江区's intake operator does not see 青羊区's case through any filter.
    expect(await ids('state=all', 'intake')).toEqual(sorted(A, B));
    expect(await ids('state=all&districtCode=510105', 'intake')).toEqual([]);
    expect(await ids(`state=all&q=${C.number}`, 'intake')).toEqual([]);
    expect(await ids('state=all', 'intake2')).toEqual(sorted(C));
  });

  it('reportedBy=me keeps the cases the caller reported (我的上报), closed ones with state=all', async () => {
    expect(await ids('state=all&reportedBy=me', 'intake')).toEqual(sorted(A, B));
    expect(await ids('state=all&reportedBy=me', 'intake2')).toEqual(sorted(C));
    expect(await ids('reportedBy=me', 'intake2')).toEqual([]);
    expect(await ids('state=all&reportedBy=me')).toEqual([]);
    expect(await ids('state=all')).toEqual(sorted(A, B, C));
  });

  it('pages by offset with the total, and by cursor as before', async () => {
    const first = await list('state=all&limit=2&offset=0');
    const second = await list('state=all&limit=2&offset=2');
    expect(first.total).toBe(3);
    expect(second.total).toBe(3);
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    const byOffset = [...first.items, ...second.items].map((i) => i.id);
    expect(new Set(byOffset).size).toBe(3);
    const p1 = await list('state=all&limit=2');
    expect(p1.nextCursor).not.toBeNull();
    const p2 = await list(`state=all&limit=2&cursor=${p1.nextCursor}`);
    expect(p2.nextCursor).toBeNull();
    expect([...p1.items, ...p2.items].map((i) => i.id)).toEqual(byOffset);
    // The total counts every match, not the page.
    expect((await list('state=all&limit=1&districtCode=510104')).total).toBe(2);
  });

  it('answers 400 to malformed filters, 401 without a login and 403 to a citizen', async () => {
    const bad = [
      'source=fax',
      'districtCode=5101',
      'streetCode=abc',
      'communityCode=51010400100',
      'gridCode=51',
      'categoryCode=1',
      'categoryCode=01a',
      'light=blue',
      'urgency=later',
      'kind=thing',
      'reportedBy=you',
      'stateIn=',
      'stateIn=closed,bogus',
      'reportedFrom=2026-13-01',
      'reportedTo=yesterday',
      'reportedFrom=2026-03-02&reportedTo=2026-03-01',
      'offset=-1',
      'offset=x',
      `offset=1&cursor=${Buffer.from(JSON.stringify(['infinity', 1])).toString('base64url')}`,
      `q=${'x'.repeat(101)}`,
      'departmentCode=',
      'color=red',
    ];
    for (const query of bad) {
      const res = await c.call('admin', 'GET', `/api/v1/cases?${query}`);
      expectError(res, 400, 'VALIDATION_FAILED');
    }
    expectError(
      await app.inject({ method: 'GET', url: '/api/v1/cases?districtCode=510104' }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(await c.call('citizen', 'GET', '/api/v1/cases?districtCode=510104'), 403, 'FORBIDDEN');
  });
});
