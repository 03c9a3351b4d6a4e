/**
 * Fast UTC ISO-8601 text of an epoch-ms instant, identical to `Date#toISOString()` for years
 * 0–9999. Payload deadlines are formatted millions of times per generated year, and the Date
 * builtin dominated the generator's profile.
 */
import { civilOf } from '../timelimit/index.js';

const P2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const P3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAY_MS = 86_400_000;

export function isoOf(time: number): string {
  // Deadlines after a resume can carry a fraction of a millisecond; Date drops it the same way.
  const ms = Math.trunc(time);
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const { year, month, day } = civilOf(days);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const msPart = rest - s * 1000;
  const y = year >= 1000 ? String(year) : String(year).padStart(4, '0');
  return `${y}-${P2[month]}-${P2[day]}T${P2[h]}:${P2[m]}:${P2[s]}.${P3[msPart]}Z`;
}
