/** Local calendar days (YYYY-MM-DD) as plain dates: arithmetic in UTC, no time zone involved. */
const DAY_MS = 86_400_000;

export const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
export const dayOfMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => dayOfMs(dayMs(day) + n * DAY_MS);
export const daysBetween = (from: string, to: string): number =>
  Math.round((dayMs(to) - dayMs(from)) / DAY_MS);

/** The days from `from` for `n` days. */
export function dayRange(from: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => addDays(from, i));
}
