/**
 * Sends the outbox: photos first (media is content-addressed, so a repeated upload stores
 * nothing new), then the report or action with its Idempotency-Key, so a request whose answer
 * was lost on the way back is stored once by the server. Runs when an item is added, when the
 * connection returns, and on a timer; failures back off exponentially.
 */
import { ApiError, type ErrorMessages } from '../../../src/api/client';
import { deviceId, uuid } from '../lib/ids';
import { allItems, getItem, type OutboxItem, onOutboxChange, pruneSent, putItem } from './store';

const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 5 * 60_000;
const TICK_MS = 10_000;
/** Answers that say "not now" rather than "no": the same request is retried later. */
const TRANSIENT = new Set([401, 408, 409, 423, 425, 429, 500, 502, 503, 504]);
/** A 409 that is final: the case moved on since the item was made (new version needed). */
const FINAL_CONFLICTS = new Set(['CASE_VERSION_CONFLICT', 'CASE_ACTION_NOT_ALLOWED']);

let currentUser: string | null = null;
/** Staff items are sent only while their owner is logged in (the cookie is theirs). */
export function setOutboxUser(username: string | null): void {
  currentUser = username;
  if (username) kick();
}

const NETWORK: ErrorMessages = { zh: '网络不可用，恢复后自动发送', en: 'No network; sent when it returns' };

function backoff(attempts: number): number {
  const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(attempts, 12));
  return delay / 2 + Math.random() * (delay / 2);
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; messages?: ErrorMessages; message?: string } } = {};
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy page): the generic message below.
  }
  const messages = body.error?.messages ?? {
    zh: body.error?.message ?? `请求失败（${res.status}）`,
    en: body.error?.message ?? `Request failed (${res.status})`,
  };
  return new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, messages, null);
}

async function post(path: string, body: BodyInit, headers: Record<string, string>): Promise<unknown> {
  const res = await fetch(`/api/v1${path}`, { method: 'POST', credentials: 'same-origin', headers, body });
  if (!res.ok) throw await errorOf(res);
  return res.status === 204 ? null : res.json();
}

/** Uploads the photos not yet uploaded and writes their sha256 into the body. */
async function uploadPhotos(item: OutboxItem): Promise<void> {
  const isPublic = item.owner === 'public';
  for (const [field, blobs] of Object.entries(item.photos)) {
    const done = item.body[field];
    if (Array.isArray(done) && done.length === blobs.length) continue;
    const shas: string[] = [];
    for (const blob of blobs) {
      const out = (await post(isPublic ? '/public/media' : '/media', blob, {
        'content-type': blob.type || 'image/jpeg',
        ...(isPublic ? { 'x-device-id': deviceId() } : {}),
      })) as { sha256: string };
      shas.push(out.sha256);
    }
    item.body[field] = shas;
    await putItem(item);
  }
}

/** A report made without signal has no address yet: the server's gazetteer names the place. */
async function fillAddress(item: OutboxItem): Promise<void> {
  if (item.kind !== 'case' && item.kind !== 'self_handle') return;
  if (typeof item.body.address === 'string' && item.body.address) return;
  const { lng, lat } = item.body as { lng: number; lat: number };
  const res = await fetch(`/api/v1/geocode/reverse?lng=${lng}&lat=${lat}`, { credentials: 'same-origin' });
  if (res.ok) {
    item.body.address = ((await res.json()) as { formatted: string }).formatted;
  } else if (res.status === 404) {
    // Outside every grid: the server refuses the report with its own message below.
    item.body.address = `${lng.toFixed(6)}, ${lat.toFixed(6)}`;
  } else {
    throw await errorOf(res);
  }
  await putItem(item);
}

async function sendOne(item: OutboxItem): Promise<void> {
  item.status = 'sending';
  item.attempts += 1;
  await putItem(item);
  try {
    await uploadPhotos(item);
    await fillAddress(item);
    const result = await post(item.path, JSON.stringify(item.body), {
      'content-type': 'application/json',
      'idempotency-key': item.key,
      ...(item.owner === 'public' ? { 'x-device-id': deviceId() } : {}),
    });
    await putItem({ ...item, status: 'sent', sentAt: Date.now(), result, error: null });
  } catch (err) {
    if (err instanceof ApiError) {
      const retry = TRANSIENT.has(err.status) && !FINAL_CONFLICTS.has(err.code);
      await putItem({
        ...item,
        status: retry ? 'waiting' : 'failed',
        nextAttemptAt: Date.now() + backoff(item.attempts),
        error: { code: err.code, messages: err.messages },
      });
    } else {
      // fetch rejects only when no answer arrived: the network, not the request, failed.
      await putItem({
        ...item,
        status: 'waiting',
        nextAttemptAt: Date.now() + backoff(item.attempts),
        error: { code: 'NETWORK', messages: NETWORK },
      });
    }
  }
}

let running = false;
let again = false;

/** Sends every due item once; safe to call often (one run at a time). */
export async function drain(): Promise<void> {
  if (running) {
    again = true;
    return;
  }
  running = true;
  try {
    do {
      again = false;
      if (!navigator.onLine) return;
      const now = Date.now();
      for (const item of await allItems()) {
        if (item.status !== 'waiting' || item.nextAttemptAt > now) continue;
        if (item.owner !== 'public' && item.owner !== currentUser) continue;
        await sendOne(item);
        if (!navigator.onLine) return;
      }
    } while (again);
  } finally {
    running = false;
  }
}

export function kick(): void {
  void drain();
}

/** The user asks to send a refused item again: a new key, since the old one holds the refusal. */
export async function retryItem(id: string, refreshed?: Record<string, unknown>): Promise<void> {
  const item = await getItem(id);
  if (!item) return;
  await putItem({
    ...item,
    body: { ...item.body, ...refreshed },
    key: uuid(),
    status: 'waiting',
    nextAttemptAt: Date.now(),
    error: null,
  });
  kick();
}

/** Items left "sending" by a closed tab are waiting again; then the timers start. */
export async function startSender(): Promise<void> {
  for (const item of await allItems()) {
    if (item.status === 'sending') await putItem({ ...item, status: 'waiting' });
  }
  await pruneSent();
  window.addEventListener('online', async () => {
    // Connection back: everything waiting is due now rather than at its backoff time.
    for (const item of await allItems()) {
      if (item.status === 'waiting') await putItem({ ...item, nextAttemptAt: Date.now() });
    }
    kick();
  });
  setInterval(kick, TICK_MS);
  let pending = false;
  onOutboxChange(() => {
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      kick();
    });
  });
  kick();
}
