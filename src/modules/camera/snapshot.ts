/**
 * The snapshot of an event, inline (base64) or at the platform's URL, stored in media like a
 * photo (checked to be a whole JPEG/PNG/WebP image). A bad one is the event's error.
 */
import type { Ctx } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { MEDIA_MAX_BYTES, sniffImage, storeMedia } from '../media/service.js';
import type { CameraEventInput } from './schema.js';

const FETCH_TIMEOUT_MS = 5_000;

/**
 * Only the configured video platforms are fetched from: an event naming any other address
 * (an internal service, a cloud metadata endpoint) must not make the server call it.
 */
export function snapshotUrlAllowed(url: string, hosts: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (u.username || u.password) return false;
  return hosts.includes(u.host.toLowerCase()) || hosts.includes(u.hostname.toLowerCase());
}

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const size = Number(res.headers.get('content-length') ?? '0');
  if (size > MEDIA_MAX_BYTES) throw new Error('too large');
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > MEDIA_MAX_BYTES) throw new Error('too large');
  return body;
}

export async function storeSnapshot(
  ctx: Ctx,
  deps: { dataDir: string; snapshotHosts: readonly string[] },
  snapshot: NonNullable<CameraEventInput['snapshot']>,
  eventId: string,
): Promise<string> {
  const invalid = (reason: string) =>
    new AppError('CAMERA_SNAPSHOT_INVALID', { details: { eventId, reason } });
  let body: Buffer;
  let declared: string;
  if ('url' in snapshot) {
    if (!snapshotUrlAllowed(snapshot.url, deps.snapshotHosts)) {
      throw invalid(`${snapshot.url}: host not allowed (CAMERA_SNAPSHOT_HOSTS)`);
    }
    try {
      body = await download(snapshot.url);
    } catch (err) {
      throw invalid(`${snapshot.url}: ${(err as Error).message}`);
    }
    declared = sniffImage(body) ?? 'unknown';
  } else {
    body = Buffer.from(snapshot.data, 'base64');
    declared = snapshot.contentType;
  }
  try {
    return (await storeMedia(ctx, deps.dataDir, declared, body)).sha256;
  } catch (err) {
    if (err instanceof AppError && err.code.startsWith('MEDIA_')) throw invalid(err.code);
    throw err;
  }
}
