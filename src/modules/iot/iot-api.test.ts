/** The IoT admin API in-process: device registry, thresholds, alarms, raw messages; 401/403/400/404/409. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import { DEMO_COMPONENT_KINDS } from '../../domain/component/demo.js';
import type { ApiApp } from '../../platform/http/types.js';
import { demo } from '../component/testkit.js';

type Headers = Record<string, string>;
const cover = demo.find(
  (c) => c.categoryCode === DEMO_COMPONENT_KINDS.gasCover.categoryCode,
) as (typeof demo)[0];

describe.each(testStores())('IoT API on %s', (kind) => {
  let t: TestStore;
  let app: ApiApp;
  const auth: Record<string, Headers> = {};
  const req = (method: 'GET' | 'POST' | 'PATCH', url: string, headers?: Headers, payload?: object) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      ...(headers ? { headers } : {}),
      ...(payload ? { payload } : {}),
    });
  const deviceCount = async () =>
    Number(
      (
        await t.store.db
          .selectFrom('iot_devices')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n,
    );

  beforeAll(async () => {
    t = await openTestStore(kind);
    app = await testApp(t.store);
    for (const u of ['admin', 'intake']) auth[u] = await bearer(app, u);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('registers a device on a component and lists it; refuses strangers, non-admins and bad input', async () => {
    const body = {
      id: 'GAS-0001',
      typeCode: 'cover_multi',
      componentId: cover.id,
      model: 'NB-WL3',
      installedOn: '2026-11-01',
    };
    expectError(await req('POST', '/iot/devices', undefined, body), 401, 'UNAUTHENTICATED');
    expectError(await req('POST', '/iot/devices', auth.intake, body), 403, 'FORBIDDEN');
    expectError(
      await req('POST', '/iot/devices', auth.admin, { ...body, id: 'bad id!' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await req('POST', '/iot/devices', auth.admin, { ...body, reportPeriodSeconds: 1 }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await req('POST', '/iot/devices', auth.admin, { ...body, typeCode: 'no_such' }),
      400,
      'IOT_DEVICE_TYPE_UNKNOWN',
    );
    expectError(
      await req('POST', '/iot/devices', auth.admin, { ...body, componentId: '5101040101999999' }),
      404,
      'NOT_FOUND',
    );
    expect(await deviceCount()).toBe(0);

    const created = await req('POST', '/iot/devices', auth.admin, body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      id: 'GAS-0001',
      componentId: cover.id,
      typeCode: 'cover_multi',
      model: 'NB-WL3',
      installedOn: '2026-11-01',
      reportPeriodSeconds: 300,
      online: true,
    });
    expectError(await req('POST', '/iot/devices', auth.admin, body), 409, 'IOT_DEVICE_TAKEN');
    const list = await req('GET', `/iot/devices?componentId=${cover.id}`, auth.admin);
    expect(list.json().items.map((d: { id: string }) => d.id)).toEqual(['GAS-0001']);
    expectError(await req('GET', '/iot/devices', undefined), 401, 'UNAUTHENTICATED');
    expectError(await req('GET', '/iot/devices/NOPE', auth.admin), 404, 'NOT_FOUND');

    const patched = await req('PATCH', '/iot/devices/GAS-0001', auth.admin, { reportPeriodSeconds: 120 });
    expect(patched.json()).toMatchObject({ reportPeriodSeconds: 120 });
    expectError(
      await req('PATCH', '/iot/devices/GAS-0001', auth.intake, { reportPeriodSeconds: 60 }),
      403,
      'FORBIDDEN',
    );
  });

  it('edits thresholds per device type (administrators), with the change audited', async () => {
    const types = await req('GET', '/iot/device-types', auth.intake);
    expect(types.json().find((x: { code: string }) => x.code === 'cover_tilt')).toMatchObject({
      thresholds: { tiltDeg: 10 },
    });
    const url = '/iot/device-types/cover_tilt';
    expectError(await req('PATCH', url, undefined, { thresholds: { tiltDeg: 8 } }), 401, 'UNAUTHENTICATED');
    expectError(await req('PATCH', url, auth.intake, { thresholds: { tiltDeg: 8 } }), 403, 'FORBIDDEN');
    expectError(
      await req('PATCH', url, auth.admin, { thresholds: { tiltDeg: 500 } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await req('PATCH', url, auth.admin, { thresholds: { colour: 1 } }), 400, 'VALIDATION_FAILED');
    expectError(await req('PATCH', '/iot/device-types/nope', auth.admin, { name: 'x' }), 404, 'NOT_FOUND');
    const ok = await req('PATCH', url, auth.admin, { thresholds: { tiltDeg: 8, batteryPct: 15 } });
    expect(ok.json()).toMatchObject({ code: 'cover_tilt', thresholds: { tiltDeg: 8, batteryPct: 15 } });
    const audited = await t.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('target', '=', 'iot_type:cover_tilt')
      .execute();
    expect(audited.map((a) => a.action)).toEqual(['iot.type.update']);
  });

  it('reads alarms and maintenance tasks (component readers) and raw messages (administrators only)', async () => {
    expect((await req('GET', '/iot/alarms?active=true', auth.intake)).json()).toEqual({ items: [] });
    expect((await req('GET', '/iot/maintenance-tasks', auth.intake)).json()).toEqual({ items: [] });
    expectError(await req('GET', '/iot/alarms?kind=smoke', auth.intake), 400, 'VALIDATION_FAILED');
    expectError(await req('GET', '/iot/raw-messages', auth.intake), 403, 'FORBIDDEN');
    expectError(await req('GET', '/iot/raw-messages', undefined), 401, 'UNAUTHENTICATED');
    expectError(await req('GET', '/iot/raw-messages?status=lost', auth.admin), 400, 'VALIDATION_FAILED');
    expect((await req('GET', '/iot/raw-messages?status=rejected', auth.admin)).json()).toEqual({ items: [] });
  });
});
