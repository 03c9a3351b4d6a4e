/**
 * The one way the console talks to the server: same-origin fetch with the session cookie,
 * JSON in and out, and the server's error body turned into an ApiError the UI can show in
 * the user's language.
 */
export interface ErrorMessages {
  zh: string;
  en: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: ErrorMessages,
    readonly details: unknown,
  ) {
    super(messages.en);
  }
}

export type Query = Record<string, string | number | boolean | null | undefined | readonly string[]>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) params.set(k, v.join(','));
    } else params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** Listeners told when the server says the session is gone (401), so the app can show login. */
const unauthenticated = new Set<() => void>();
export function onUnauthenticated(fn: () => void): () => void {
  unauthenticated.add(fn);
  return () => unauthenticated.delete(fn);
}

async function toError(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; messages?: ErrorMessages; message?: string; details?: unknown } } = {};
  try {
    body = await res.json();
  } catch {
    // A proxy's HTML error page: fall through to the generic message.
  }
  const e = body.error;
  const messages = e?.messages ?? {
    zh: e?.message ?? `请求失败（${res.status}）`,
    en: e?.message ?? `Request failed (${res.status})`,
  };
  return new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, messages, e?.details);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

/** Calls `/api/v1{path}`; resolves to the parsed JSON (undefined for 204). */
export async function api<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = options.body === undefined ? 'GET' : 'POST', query, body, signal } = options;
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  const res = await fetch(withQuery(`/api/v1${path}`, query), {
    method,
    credentials: 'same-origin',
    headers: body === undefined || isForm ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : isForm ? (body as FormData) : JSON.stringify(body),
    signal,
  });
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && path !== '/auth/login') for (const fn of unauthenticated) fn();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

/** Uploads a file as the raw body (the media endpoint takes the bytes with their type). */
export async function uploadRaw<T = unknown>(path: string, file: Blob, query?: Query): Promise<T> {
  const res = await fetch(withQuery(`/api/v1${path}`, query), {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': file.type || 'application/octet-stream' },
    body: file,
  });
  if (!res.ok) throw await toError(res);
  return (await res.json()) as T;
}

/** Downloads a server-made file (e.g. an .xlsx export) and hands it to the browser. */
export async function download(path: string, options: RequestOptions = {}): Promise<void> {
  const { method = options.body === undefined ? 'GET' : 'POST', query, body } = options;
  const res = await fetch(withQuery(`/api/v1${path}`, query), {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await toError(res);
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const name = star ? decodeURIComponent(star) : (plain ?? 'export.xlsx');
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** URL of a stored photo (served with the session cookie). */
export const mediaUrl = (sha256: string) => `/api/v1/media/${sha256}`;

/** The page an offset-paged list answers beside its items (total, and where the next page starts). */
export interface PageInfo {
  total: number;
  limit: number;
  offset: number;
  nextOffset: number | null;
}

/**
 * Every page of an offset-paged list, following `nextOffset` until the last; `pick` names the
 * array of the answer (`items`, or `features` of a GeoJSON collection).
 */
export async function apiAllPages<T, K extends string = 'items'>(
  path: string,
  query: Query = {},
  pick: K = 'items' as K,
): Promise<T[]> {
  const out: T[] = [];
  let offset: number | null = 0;
  while (offset !== null) {
    const page: PageInfo & Record<K, T[]> = await api(path, { query: { ...query, offset } });
    out.push(...page[pick]);
    offset = page.nextOffset;
  }
  return out;
}
