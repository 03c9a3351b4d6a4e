/**
 * Component (部件) ids: division (6) + category (2+2 under GB/T 30428.2, 2+3 under GB/T 47678.5)
 * + sequence (6). Pure helpers for building ids and picking the next free sequence.
 */
import { divisionLevelOf, validateComponentCode } from '../codes.js';

/** Catalog scheme codes, as in the `category_schemes` table. */
export type CategoryScheme = 'gbt30428' | 'gbt47678';

export const COMPONENT_SEQ_MAX = 999_999;

/** The scheme a minor-class code ('0101' or '01001') belongs to by its length; null when malformed. */
export function schemeOfCategory(categoryCode: string): CategoryScheme | null {
  if (!/^\d{4,5}$/.test(categoryCode)) return null;
  if (Number(categoryCode.slice(0, 2)) === 0 || Number(categoryCode.slice(2)) === 0) return null;
  return categoryCode.length === 4 ? 'gbt30428' : 'gbt47678';
}

/** Divisions that register components: a city or a district (GB/T 30428.2 uses the county code). */
export function isRegisteringDivision(divisionCode: string): boolean {
  const level = divisionLevelOf(divisionCode);
  return level === 'city' || level === 'district';
}

/** The prefix shared by every id of one division and class: the unit of sequence allocation. */
export function componentIdPrefix(divisionCode: string, categoryCode: string): string {
  if (!isRegisteringDivision(divisionCode))
    throw new RangeError(`Not a city or district code: ${divisionCode}`);
  if (schemeOfCategory(categoryCode) === null)
    throw new RangeError(`Not a minor class code: ${categoryCode}`);
  return `${divisionCode}${categoryCode}`;
}

export function formatComponentId(divisionCode: string, categoryCode: string, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1 || seq > COMPONENT_SEQ_MAX) {
    throw new RangeError(`Component sequence out of range 1–${COMPONENT_SEQ_MAX}: ${seq}`);
  }
  return `${componentIdPrefix(divisionCode, categoryCode)}${String(seq).padStart(6, '0')}`;
}

/** Splits a valid id into its parts with the catalog's scheme name; null when malformed. */
export function parseComponentId(
  id: string,
): { scheme: CategoryScheme; divisionCode: string; categoryCode: string; seq: number } | null {
  const v = validateComponentCode(id);
  if (!v.ok) return null;
  return {
    scheme: v.scheme === 'gbt30428-2' ? 'gbt30428' : 'gbt47678',
    divisionCode: v.divisionCode,
    categoryCode: `${v.majorCode}${v.minorCode}`,
    seq: v.seq,
  };
}

/**
 * The next `count` free sequences after the highest one in use (gaps left by deletions are
 * not reused, so an id never names two different components over time). Null when the
 * 6-digit sequence space would overflow.
 */
export function nextSequences(maxUsed: number | null, count: number): number[] | null {
  const first = (maxUsed ?? 0) + 1;
  if (first + count - 1 > COMPONENT_SEQ_MAX) return null;
  return Array.from({ length: count }, (_, i) => first + i);
}
