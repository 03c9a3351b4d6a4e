/** Durations as operators read them: 2天3小时, 45分钟 (or 2d 3h, 45m in English). */
import { useEffect, useState } from 'react';

export function formatDuration(ms: number, lang: string): string {
  const minutes = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const en = lang === 'en';
  const parts: string[] = [];
  if (d) parts.push(en ? `${d}d` : `${d}天`);
  if (h) parts.push(en ? `${h}h` : `${h}小时`);
  if (!d && (m || !h)) parts.push(en ? `${m}m` : `${m}分钟`);
  return parts.join(en ? ' ' : '');
}

/** The current time, refreshed every `everyMs` so countdowns move without refetching. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
