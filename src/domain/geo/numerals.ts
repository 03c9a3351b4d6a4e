/** Chinese numerals as written in addresses: 二段, 八十八号, 一百零三号. */

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** '八十八' → 88, '十二' → 12, '一百零三' → 103, '二〇八' → 208; null if not a numeral. */
export function parseChineseNumber(text: string): number | null {
  if (!text || !/^[零〇一二两三四五六七八九十百千]+$/.test(text)) return null;
  // Digit-by-digit form (二〇八) has no unit characters.
  if (!/[十百千]/.test(text)) {
    return text.length > 5 ? null : Number([...text].map((c) => DIGITS[c]).join(''));
  }
  let total = 0;
  let digit: number | null = null;
  for (const c of text) {
    const unit = UNITS[c];
    if (unit !== undefined) {
      // '十二' means 12: a unit without a digit before it counts once.
      total += (digit ?? 1) * unit;
      digit = null;
    } else {
      digit = DIGITS[c] ?? 0;
    }
  }
  return total + (digit ?? 0);
}

const ORDINAL_DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 2 → '二', 10 → '十', 12 → '十二', 21 → '二十一' (1–99, for road segments). */
export function chineseOrdinal(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`segment ${n} is out of 1–99`);
  if (n < 10) return ORDINAL_DIGITS[n] as string;
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : ORDINAL_DIGITS[tens]}十${ORDINAL_DIGITS[n % 10]}`;
}
