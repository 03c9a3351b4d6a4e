/** Small formatting helpers shared by the case components. */
import dayjs from 'dayjs';

/** 2天3小时 / 2d 3h: the coarsest two units of a duration, for "time left" labels. */
export function formatDuration(ms: number, lang: string): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const zh = lang !== 'en';
  const parts: string[] = [];
  if (d) parts.push(zh ? `${d}天` : `${d}d`);
  if (h) parts.push(zh ? `${h}小时` : `${h}h`);
  if (!d && (m || !h)) parts.push(zh ? `${m}分钟` : `${m}m`);
  return parts.slice(0, 2).join(zh ? '' : ' ');
}

/** Local date and time as operators read it (24 h). */
export const formatTime = (iso: string | null | undefined) =>
  iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '';
