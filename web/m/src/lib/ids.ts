/** Random ids for idempotency keys and the device id, also on plain-http intranet addresses. */
export function uuid(): string {
  // crypto.randomUUID exists only in secure contexts; getRandomValues exists everywhere.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const DEVICE_KEY = 'cityloop.m.device';

/** A per-install id the citizen portal's rate limits count by (no personal data). */
export function deviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = uuid().replace(/-/g, '');
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}
