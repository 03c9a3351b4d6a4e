/** Uploads over HTTP: staff and public uploads refuse the same damaged images and store nothing. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { tinyJpeg, tinyPng, tinyWebp } from './test-images.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/images');
const lossyWebp = fs.readFileSync(path.join(FIXTURES, 'chromium-lossy.webp'));

/** Damaged versions of whole images: cut short, a CRC broken, the scan cut before EOI, garbage after the magic. */
const DAMAGED: Array<[string, string, Buffer]> = [
  ['truncated png', 'image/png', tinyPng().subarray(0, 40)],
  [
    'png with a broken CRC',
    'image/png',
    (() => {
      const b = Buffer.from(tinyPng());
      b[b.length - 20] = (b[b.length - 20] as number) ^ 0xff;
      return b;
    })(),
  ],
  ['jpeg without its end', 'image/jpeg', tinyJpeg().subarray(0, tinyJpeg().length - 2)],
  [
    'jpeg magic then garbage',
    'image/jpeg',
    Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)]),
  ],
  ['truncated webp', 'image/webp', lossyWebp.subarray(0, lossyWebp.length - 10)],
  ['webp header only', 'image/webp', tinyWebp().subarray(0, 20)],
];

describe.each(testStores())('photo uploads (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  let supervisor: { authorization: string };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityloop-media-'));

  beforeAll(async () => {
    ts = await openTestStore(kind);
    app = await testApp(ts.store, { DATA_DIR: dataDir });
    supervisor = await bearer(app, 'supervisor');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const staff = (type: string, payload: Buffer) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/media',
      headers: { ...supervisor, 'content-type': type },
      payload,
    });
  const citizen = (type: string, payload: Buffer) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/public/media',
      headers: { 'content-type': type, 'x-device-id': 'device-media-0001' },
      payload,
    });
  const stored = async () => ({
    rows: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM media`.execute(ts.store.db)).rows[0]?.n,
    // Nor is the public channel's account created for a refused photo.
    users: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(ts.store.db)).rows[0]?.n,
    files: fs.existsSync(path.join(dataDir, 'media'))
      ? fs
          .readdirSync(path.join(dataDir, 'media'), { recursive: true })
          .filter((f) => /[0-9a-f]{64}$/.test(String(f))).length
      : 0,
  });

  it('refuses truncated and corrupt images on the staff and the public upload alike, storing nothing', async () => {
    const before = await stored();
    for (const [name, type, bytes] of DAMAGED) {
      for (const upload of [staff, citizen]) {
        const err = expectError(await upload(type, bytes), 415, 'MEDIA_IMAGE_MALFORMED');
        expect(err.details.format, name).toBe(type.slice(6));
      }
    }
    expect(await stored()).toEqual(before);
  });

  it('stores whole PNG, JPEG and WebP photos from both', async () => {
    for (const [type, bytes] of [
      ['image/png', tinyPng()],
      ['image/jpeg', tinyJpeg()],
      ['image/webp', lossyWebp],
    ] as const) {
      expect((await staff(type, bytes)).statusCode).toBe(201);
      expect((await citizen(type, bytes)).statusCode).toBe(201);
    }
  });
});
