/**
 * The outbox (IndexedDB): every report and answer is stored here first, with its photos as
 * Blobs, and sent from here, so nothing made without signal is lost on a reload or a crash.
 * Each item carries the Idempotency-Key it is sent with, fixed when the item is created.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { ErrorMessages } from '../../../src/api/client';
import { uuid } from '../lib/ids';

export type OutboxKind = 'case' | 'self_handle' | 'action' | 'positions' | 'public_report';
export type OutboxStatus = 'waiting' | 'sending' | 'failed' | 'sent';

export interface OutboxItem {
  id: string;
  /** Sent as Idempotency-Key; a new one only when a refused item is sent again. */
  key: string;
  /** Whose item: a username, or 'public' for citizen reports. */
  owner: string;
  kind: OutboxKind;
  /** What the list shows, e.g. "暴露垃圾 · 锦江区…". */
  title: string;
  /** POST path under /api/v1. */
  path: string;
  body: Record<string, unknown>;
  /** Photos by the body field their sha256 list goes into (photos, afterPhotos). */
  photos: Record<string, Blob[]>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  sentAt?: number;
  error?: { code: string; messages: ErrorMessages } | null;
  result?: unknown;
}

interface OutboxDb extends DBSchema {
  items: { key: string; value: OutboxItem; indexes: { byOwner: string } };
}

let dbPromise: Promise<IDBPDatabase<OutboxDb>> | null = null;
function db() {
  dbPromise ??= openDB<OutboxDb>('cityloop-outbox', 1, {
    upgrade(d) {
      d.createObjectStore('items', { keyPath: 'id' }).createIndex('byOwner', 'owner');
    },
  });
  return dbPromise;
}

/** Listeners told after every change (the list re-reads; the sender looks for work). */
const listeners = new Set<() => void>();
export function onOutboxChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
function changed() {
  for (const fn of listeners) fn();
}

export async function addItem(
  item: Pick<OutboxItem, 'owner' | 'kind' | 'title' | 'path' | 'body'> & { photos?: Record<string, Blob[]> },
): Promise<OutboxItem> {
  const now = Date.now();
  const full: OutboxItem = {
    photos: {},
    ...item,
    id: uuid(),
    key: uuid(),
    status: 'waiting',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    error: null,
  };
  await (await db()).put('items', full);
  changed();
  return full;
}

export async function getItem(id: string): Promise<OutboxItem | undefined> {
  return (await db()).get('items', id);
}

export async function putItem(item: OutboxItem): Promise<void> {
  await (await db()).put('items', item);
  changed();
}

export async function removeItem(id: string): Promise<void> {
  await (await db()).delete('items', id);
  changed();
}

export async function allItems(): Promise<OutboxItem[]> {
  return (await (await db()).getAll('items')).sort((a, b) => a.createdAt - b.createdAt);
}

/** Sent items stay visible for a day (the user sees the case number), then go. */
export const KEEP_SENT_MS = 24 * 3_600_000;
export async function pruneSent(now = Date.now()): Promise<void> {
  const d = await db();
  let removed = false;
  for (const item of await d.getAll('items')) {
    if (item.status === 'sent' && now - (item.sentAt ?? 0) > KEEP_SENT_MS) {
      await d.delete('items', item.id);
      removed = true;
    }
  }
  if (removed) changed();
}
