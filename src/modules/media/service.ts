/**
 * Photos (before / after) as files named by their sha256 under DATA_DIR/media, with a row in
 * `media`. The declared type must match the file's magic bytes and the file must be a whole image.
 */

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { visibleTo } from '../cases/repo.js';
import { checkImage } from './image-check.js';
import { stripMetadata } from './metadata.js';

export const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
export const MEDIA_MAX_BYTES = 10 * 1024 * 1024;

export function sniffImage(buf: Buffer): MediaType | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (
    buf.length >= 8 &&
    buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  ) {
    return 'image/png';
  }
  if (
    buf.length >= 12 &&
    buf.toString('latin1', 0, 4) === 'RIFF' &&
    buf.toString('latin1', 8, 12) === 'WEBP'
  ) {
    return 'image/webp';
  }
  return null;
}

export const fileOf = (dataDir: string, sha: string) => path.join(dataDir, 'media', sha.slice(0, 2), sha);

/**
 * The image type of an upload: the declared type must be what the bytes are, and the bytes a
 * whole, well-formed image of that type (one check for staff and public uploads alike).
 */
async function checkedType(declared: string, body: Buffer): Promise<MediaType> {
  const type = declared.split(';')[0]?.trim().toLowerCase();
  const actual = sniffImage(body);
  if (actual === null || actual !== type) {
    throw new AppError('MEDIA_TYPE_MISMATCH', { details: { declared: type, detected: actual } });
  }
  await checkImage(actual, body);
  return actual;
}

async function writeMedia(
  ctx: Ctx,
  dataDir: string,
  type: MediaType,
  body: Buffer,
  also?: (trx: Kysely<Database>, sha256: string) => Promise<void>,
) {
  const sha256 = createHash('sha256').update(body).digest('hex');
  const file = fileOf(dataDir, sha256);
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Write then rename: a reader never sees half a file, and equal content is the same file.
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(tmp, body);
  await fs.rename(tmp, file);
  await ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('media')
      .values({
        sha256,
        content_type: type,
        size_bytes: body.length,
        uploaded_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('sha256')
      .executeTakeFirst();
    if (inserted) {
      await audit(
        { ...ctx, db: trx },
        { action: 'media.upload', target: `media:${sha256}`, details: { size: body.length } },
      );
    }
    await also?.(trx, sha256);
  });
  return { sha256, contentType: type, size: body.length, url: `/api/v1/media/${sha256}` };
}

export async function storeMedia(ctx: Ctx, dataDir: string, declared: string, body: Buffer) {
  requirePermission(ctx.actor, 'case.report');
  return writeMedia(ctx, dataDir, await checkedType(declared, body), body);
}

/**
 * A citizen's photo (公众上报, no login; `channel` gives the public channel's service actor, asked
 * for only once the photo has passed its checks): stored without its metadata — EXIF GPS would
 * publish where the citizen stood or lives.
 */
export async function storeCitizenMedia(
  channel: () => Promise<Ctx>,
  dataDir: string,
  declared: string,
  body: Buffer,
  origin: { deviceId: string | null; ip: string | null },
) {
  const type = await checkedType(declared, body);
  const clean = stripMetadata(type, body);
  const stored = await writeMedia(await channel(), dataDir, type, clean, async (trx, sha256) => {
    await trx
      .insertInto('public_uploads')
      .values({ sha256, device_id: origin.deviceId, ip: origin.ip })
      .onConflict((oc) => oc.doNothing())
      .execute();
  });
  return { ...stored, url: `/api/v1/public/media/${stored.sha256}` };
}

/** A photo cleared for the public (public_photos), served without metadata whoever took it. */
export async function readPublicMedia(db: Kysely<Database>, dataDir: string, sha256: string) {
  const row = await db
    .selectFrom('media as m')
    .innerJoin('public_photos as p', 'p.sha256', 'm.sha256')
    .select(['m.sha256', 'm.content_type'])
    .where('m.sha256', '=', sha256)
    .limit(1)
    .executeTakeFirst();
  if (!row) throw notFound('media');
  const body = await fs.readFile(fileOf(dataDir, sha256)).catch(() => null);
  if (!body) throw notFound('media');
  return { contentType: row.content_type, body: stripMetadata(row.content_type, body) };
}

/** A photo is readable by its uploader and by whoever may see a case it belongs to. */
export async function readMedia(ctx: Ctx, dataDir: string, sha256: string) {
  requirePermission(ctx.actor, 'case.read');
  const row = await ctx.db
    .selectFrom('media')
    .select(['sha256', 'content_type', 'uploaded_by'])
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  if (!row) throw notFound('media');
  if (row.uploaded_by !== ctx.actor.userId) {
    const onVisibleCase = await ctx.db
      .selectFrom('cases as c')
      .innerJoin('case_photos as p', 'p.case_id', 'c.id')
      .select('c.id')
      .where('p.sha256', '=', sha256)
      .where(visibleTo(ctx.actor))
      .limit(1)
      .executeTakeFirst();
    // Photos a checker took at 核查 stay in the event: whoever sees the case sees why it came back.
    const onVisibleCheck =
      onVisibleCase ??
      (await ctx.db
        .selectFrom('cases as c')
        .innerJoin('case_events as e', 'e.case_id', 'c.id')
        .select('c.id')
        .where('e.action', 'in', ['check_fail', 'check_pass'])
        .where(sql<boolean>`(e.payload -> 'photos') @> jsonb_build_array(${sha256}::text)`)
        .where(visibleTo(ctx.actor))
        .limit(1)
        .executeTakeFirst());
    // Minutes of a joint meeting (联席会议) are read by whoever may read the disputed case.
    const onVisibleDispute =
      onVisibleCheck ??
      (await ctx.db
        .selectFrom('cases as c')
        .innerJoin('ownership_disputes as d', 'd.case_id', 'c.id')
        .select('c.id')
        .where(sql<boolean>`${sha256} = ANY (d.meeting_attachments)`)
        .where(visibleTo(ctx.actor))
        .limit(1)
        .executeTakeFirst());
    if (!onVisibleDispute) throw notFound('media');
  }
  const body = await fs.readFile(fileOf(dataDir, sha256)).catch(() => null);
  if (!body) throw notFound('media');
  return { contentType: row.content_type, body };
}
