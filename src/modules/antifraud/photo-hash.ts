/**
 * Perceptual hashes of stored photos: decoded and shrunk to 9×8 grey by sharp (libvips, on the
 * libuv thread pool, so the event loop stays free), hashed by the domain's dHash, kept in
 * photo_hashes. Computed by the anti-fraud scan for the photos of new reports, not at upload.
 */
import fs from 'node:fs/promises';
import type { Kysely } from 'kysely';
import sharp from 'sharp';
import { DHASH_HEIGHT, DHASH_WIDTH, dHash, toSigned64 } from '../../domain/antifraud/phash.js';
import type { Database } from '../../platform/db/schema.js';
import { fileOf } from '../media/service.js';

/** dHash of an image file's bytes (JPEG, PNG or WebP). */
export async function dHashOfImage(body: Buffer): Promise<bigint> {
  const grey = await sharp(body, { failOn: 'error' })
    .rotate() // EXIF orientation: a photo turned on the phone is the same scene
    .greyscale()
    .resize(DHASH_WIDTH, DHASH_HEIGHT, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  return dHash(grey);
}

/**
 * Hashes the photos among `sha256s` not hashed yet; returns how many were added. A photo whose
 * file is missing or cannot be decoded is skipped (and tried again next time).
 */
export async function hashMissingPhotos(
  db: Kysely<Database>,
  dataDir: string,
  sha256s: readonly string[],
): Promise<number> {
  const wanted = [...new Set(sha256s)];
  if (wanted.length === 0) return 0;
  const have = new Set(
    (await db.selectFrom('photo_hashes').select('sha256').where('sha256', 'in', wanted).execute()).map(
      (r) => r.sha256,
    ),
  );
  const rows: Array<{ sha256: string; dhash: string }> = [];
  for (const sha256 of wanted) {
    if (have.has(sha256)) continue;
    const body = await fs.readFile(fileOf(dataDir, sha256)).catch(() => null);
    if (!body) continue;
    const hash = await dHashOfImage(body).catch(() => null);
    if (hash !== null) rows.push({ sha256, dhash: toSigned64(hash).toString() });
  }
  if (rows.length === 0) return 0;
  await db
    .insertInto('photo_hashes')
    .values(rows)
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  return rows.length;
}
