/**
 * Whether a calendar that keeps public holidays knows them for the years ahead. Official dates
 * come once a year (the State Council's notice, usually in the autumn before); a year without
 * any is silently counted as all working days, so admins are warned in time.
 */

export interface HolidayGap {
  year: number;
  /** 'current': deadlines this year are already wrong; 'next': the notice is due. */
  which: 'current' | 'next';
}

/**
 * The years among the current and the next one for which a holiday-keeping calendar has no
 * holiday or make-up day at all. `yearsWithDays` are the years it has any dated day in.
 */
export function holidayGaps(yearsWithDays: Iterable<number>, currentYear: number): HolidayGap[] {
  if (!Number.isInteger(currentYear))
    throw new RangeError(`currentYear must be an integer, got ${currentYear}`);
  const known = new Set(yearsWithDays);
  const gaps: HolidayGap[] = [];
  if (!known.has(currentYear)) gaps.push({ year: currentYear, which: 'current' });
  if (!known.has(currentYear + 1)) gaps.push({ year: currentYear + 1, which: 'next' });
  return gaps;
}
