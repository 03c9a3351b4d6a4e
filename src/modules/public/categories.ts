/**
 * The short list citizens pick from (they do not know 大类/小类), each mapped to a GB/T 30428.2
 * 小类. Under the GB/T 47678.5 scheme the catalog's mapping finds the filed class (its first part
 * for a split class; an explicit code where the mapping has none).
 * Anything not listed can still be reported with the catalog code itself.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { activeScheme } from '../catalog/scheme.js';

export const CITIZEN_CATEGORIES = {
  garbage: { kind: 'event', code: '0102', zh: '垃圾乱堆乱放', en: 'Exposed garbage' },
  dirty_road: { kind: 'event', code: '0104', zh: '道路不洁', en: 'Dirty road' },
  road_damage: { kind: 'event', code: '0110', zh: '道路破损', en: 'Damaged road' },
  road_collapse: { kind: 'event', code: '0401', zh: '路面塌陷', en: 'Road collapse', gbt47678: '06013' },
  sewer: {
    kind: 'event',
    code: '0404',
    zh: '下水道堵塞或破损',
    en: 'Blocked or broken sewer',
    gbt47678: '01002',
  },
  waterlogging: { kind: 'event', code: '0406', zh: '道路积水', en: 'Flooded road', gbt47678: '01004' },
  illegal_ads: { kind: 'event', code: '0201', zh: '小广告', en: 'Illegal small ads' },
  illegal_building: { kind: 'event', code: '0101', zh: '私搭乱建', en: 'Illegal structure' },
  construction_dust: { kind: 'event', code: '0302', zh: '工地扬尘', en: 'Construction dust' },
  street_vendor: { kind: 'event', code: '0501', zh: '流动摊贩', en: 'Street vendor' },
  shop_outside: { kind: 'event', code: '0504', zh: '店外经营', en: 'Business outside the shop' },
  car_parking: { kind: 'event', code: '0505', zh: '机动车乱停放', en: 'Illegally parked car' },
  bike_parking: { kind: 'event', code: '0506', zh: '非机动车乱停放', en: 'Badly parked bicycles' },
  noise: { kind: 'event', code: '0508', zh: '商业噪音', en: 'Commercial noise' },
  open_bbq: { kind: 'event', code: '0510', zh: '露天烧烤', en: 'Open-air barbecue' },
  streetlight: { kind: 'component', code: '0118', zh: '路灯损坏', en: 'Broken streetlight' },
  trash_bin: { kind: 'component', code: '0305', zh: '垃圾箱损坏', en: 'Broken litter bin' },
} as const satisfies Record<
  string,
  { kind: 'component' | 'event'; code: string; zh: string; en: string; gbt47678?: string }
>;

export type CitizenCategory = keyof typeof CITIZEN_CATEGORIES;
export const CITIZEN_CATEGORY_KEYS = Object.keys(CITIZEN_CATEGORIES) as [
  CitizenCategory,
  ...CitizenCategory[],
];

/** The catalog code a citizen category is filed under in the active scheme (null: not in the catalog). */
export async function filedCode(
  db: Kysely<Database>,
  key: CitizenCategory,
): Promise<{ kind: 'component' | 'event'; code: string } | null> {
  const entry: { kind: 'component' | 'event'; code: string; gbt47678?: string } = CITIZEN_CATEGORIES[key];
  const { kind, code } = entry;
  const scheme = activeScheme();
  if (scheme === 'gbt30428') return { kind, code };
  // 突发事件 have no GB/T 47678.5 counterpart: the matter a citizen's report of them is filed as
  // (路面塌陷 → 06013 道路破损, 下水道 → 01002 污水井盖异常, 道路积水 → 01004 雨水箅子异常).
  if (entry.gbt47678) return { kind, code: entry.gbt47678 };
  const mapped = await db
    .selectFrom('categories as f')
    .innerJoin('category_mappings as m', 'm.from_id', 'f.id')
    .innerJoin('categories as t', 't.id', 'm.to_id')
    .select('t.code')
    .where('f.scheme', '=', 'gbt30428')
    .where('f.kind', '=', kind)
    .where('f.code', '=', code)
    .where('t.scheme', '=', scheme)
    .where('t.active', '=', true)
    // Many-to-many since the GB/T 47678.5 list: a split class files under its first part.
    .orderBy('t.code')
    .executeTakeFirst();
  return mapped ? { kind, code: mapped.code } : null;
}
