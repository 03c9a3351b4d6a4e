/** Shared set-up of the citizen portal tests: a store, an app with its own media folder, callers. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { testApp } from '../../../test/helpers/app.js';
import { openTestStore, type TestStore } from '../../../test/helpers/stores.js';
import type { StoreKind } from '../../platform/db/store.js';
import type { ApiApp } from '../../platform/http/types.js';
import { client, type Fixtures, fixtures, loginAll, type Tokens } from '../cases/testkit.js';

export const DEVICE = 'device-citizen-0001';

export interface PortalBed {
  ts: TestStore;
  app: ApiApp;
  tokens: Tokens;
  fx: Fixtures;
  c: ReturnType<typeof client>;
}

/** Registers the suite's beforeAll/afterAll; `bed` is filled before the suite's own hooks run. */
export function portalTestbed(kind: StoreKind, prefix: string) {
  const bed = {} as PortalBed;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  beforeAll(async () => {
    bed.ts = await openTestStore(kind);
    bed.app = await testApp(bed.ts.store, { DATA_DIR: dataDir });
    bed.tokens = await loginAll(bed.app);
    bed.fx = await fixtures(bed.ts.store);
    bed.c = client(bed.app, bed.tokens);
  }, 120_000);
  afterAll(async () => {
    await bed.app?.close();
    await bed.ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A caller without an account, identified by its device id. */
  const anon = (
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = { 'x-device-id': DEVICE },
  ) =>
    bed.app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const upload = (bytes: Buffer, type = 'image/jpeg', device = DEVICE) =>
    bed.app.inject({
      method: 'POST',
      url: '/api/v1/public/media',
      headers: { 'content-type': type, 'x-device-id': device },
      payload: bytes,
    });
  const reportBody = (extra: Record<string, unknown> = {}) => ({
    category: 'garbage',
    description: '小区门口垃圾堆了三天没人清理',
    location: { lng: bed.fx.supervised.lng, lat: bed.fx.supervised.lat, crs: 'wgs84' },
    ...extra,
  });
  return { bed, dataDir, anon, upload, reportBody };
}
