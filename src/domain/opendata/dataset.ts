/**
 * The open case dataset (开放数据): what of a case may be published for anyone to reuse, and how.
 * Modelled on the practice of cities that publish 311 data (special-supervision.md §5): no
 * caller fields at all (NYC 311 publishes none), no free text (a description can name people),
 * photos only once a moderator cleared them, and for sensitive categories a coarse location in
 * place of the point, the address and the grid (Winnipeg moves such points by < 500 m; Chicago
 * publishes blocks). Coarse here is the centre of the H3 cell of resolution 8 (≈ 0.74 km², edge
 * ≈ 460 m) holding the point: the same for every case in that cell, so it cannot be undone.
 */
import { cellToLatLng, latLngToCell } from 'h3-js';

/** The licence of the open data: attribution only, so any use, commercial too, is allowed. */
export const OPEN_DATA_LICENCE = {
  id: 'CC-BY-4.0',
  name: '知识共享 署名 4.0 国际 (CC BY 4.0)',
  url: 'https://creativecommons.org/licenses/by/4.0/legalcode.zh-hans',
} as const;

export const COARSE_H3_RESOLUTION = 8;

/**
 * Sensitive categories by name (the same in GB/T 30428.2 and 47678.5 where both have them):
 * problems that point at a person or a household (begging, street vendors, unlicensed taxis,
 * gatherings, household animals, an owner's illegal building), and installations whose exact
 * place is a security matter (police, gas and oil covers, special covers, gas pressure stations).
 */
export const SENSITIVE_CATEGORY_NAMES = [
  '流浪乞讨',
  '无照经营游商',
  '黑车拉客',
  '群发性事件',
  '私自饲养家禽家畜',
  '私搭乱建',
  '公安井盖',
  '燃气井盖',
  '输油(气)井盖',
  '特殊井盖',
  '燃气调压站(箱)',
] as const;

const SENSITIVE = new Set<string>(SENSITIVE_CATEGORY_NAMES);

export function isSensitiveCategory(name: string): boolean {
  return SENSITIVE.has(name.replace(/（/g, '(').replace(/）/g, ')'));
}

/** What the store gives for one case (internal fields included: this decides what goes out). */
export interface CaseSource {
  number: string;
  kind: 'component' | 'event';
  source: string;
  categoryCode: string;
  categoryName: string;
  districtCode: string;
  districtName: string;
  streetCode: string;
  streetName: string;
  communityCode: string;
  communityName: string;
  gridCode: string;
  address: string;
  lng: number;
  lat: number;
  status: string;
  reportedAt: Date;
  closedAt: Date | null;
  /** sha256 of photos a moderator cleared for the public. */
  approvedPhotos: string[];
}

export interface OpenCase {
  number: string;
  kind: 'component' | 'event';
  source: string;
  category_code: string;
  category_name: string;
  district_code: string;
  district_name: string;
  street_code: string;
  street_name: string;
  community_code: string;
  community_name: string;
  grid_code: string | null;
  address: string | null;
  lng: number;
  lat: number;
  location_precision: 'exact_10m' | 'coarse_h3_r8';
  status: string;
  reported_at: string;
  closed_at: string | null;
  handling_hours: number | null;
  photos: string[];
}

/** Rounded to 4 decimals (≈ 10 m): a point, not a doorway. */
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function openCase(c: CaseSource, photoUrl: (sha256: string) => string): OpenCase {
  const sensitive = isSensitiveCategory(c.categoryName);
  let lng = round4(c.lng);
  let lat = round4(c.lat);
  if (sensitive) {
    const [clat, clng] = cellToLatLng(latLngToCell(c.lat, c.lng, COARSE_H3_RESOLUTION));
    lng = round4(clng);
    lat = round4(clat);
  }
  return {
    number: c.number,
    kind: c.kind,
    source: c.source,
    category_code: c.categoryCode,
    category_name: c.categoryName,
    district_code: c.districtCode,
    district_name: c.districtName,
    street_code: c.streetCode,
    street_name: c.streetName,
    community_code: c.communityCode,
    community_name: c.communityName,
    grid_code: sensitive ? null : c.gridCode,
    address: sensitive ? null : c.address,
    lng,
    lat,
    location_precision: sensitive ? 'coarse_h3_r8' : 'exact_10m',
    status: c.status,
    reported_at: c.reportedAt.toISOString(),
    closed_at: c.closedAt?.toISOString() ?? null,
    handling_hours: c.closedAt
      ? Math.round(((c.closedAt.getTime() - c.reportedAt.getTime()) / 3_600_000) * 10) / 10
      : null,
    // Photos of sensitive cases would show the place (and the person) the location hides.
    photos: sensitive ? [] : c.approvedPhotos.map(photoUrl),
  };
}

/** The data dictionary: every published field, in order, with its meaning (zh and en). */
export const DICTIONARY: readonly { field: keyof OpenCase; type: string; zh: string; en: string }[] = [
  {
    field: 'number',
    type: 'string',
    zh: '案卷号（区划-日期-类型-序号）',
    en: 'Case number (district-date-kind-sequence)',
  },
  { field: 'kind', type: 'component | event', zh: '部件或事件', en: 'Component (部件) or event (事件)' },
  { field: 'source', type: 'string', zh: '问题来源渠道', en: 'Channel the problem came from' },
  {
    field: 'category_code',
    type: 'string',
    zh: '类别代码（国家标准）',
    en: 'Category code (national standard)',
  },
  { field: 'category_name', type: 'string', zh: '类别名称', en: 'Category name' },
  { field: 'district_code', type: 'string', zh: '区县代码', en: 'District code' },
  { field: 'district_name', type: 'string', zh: '区县', en: 'District' },
  { field: 'street_code', type: 'string', zh: '街道代码', en: 'Street (subdistrict) code' },
  { field: 'street_name', type: 'string', zh: '街道', en: 'Street (subdistrict)' },
  { field: 'community_code', type: 'string', zh: '社区代码', en: 'Community code' },
  { field: 'community_name', type: 'string', zh: '社区', en: 'Community' },
  {
    field: 'grid_code',
    type: 'string | null',
    zh: '单元网格代码（敏感类别为空）',
    en: 'Unit grid code (empty for sensitive categories)',
  },
  {
    field: 'address',
    type: 'string | null',
    zh: '地址（敏感类别为空）',
    en: 'Address (empty for sensitive categories)',
  },
  { field: 'lng', type: 'number', zh: '经度 WGS84', en: 'Longitude, WGS84' },
  { field: 'lat', type: 'number', zh: '纬度 WGS84', en: 'Latitude, WGS84' },
  {
    field: 'location_precision',
    type: 'exact_10m | coarse_h3_r8',
    zh: '位置精度：约 10 米；敏感类别为所在 H3 8 级六边形（约 0.74 平方公里）的中心',
    en: 'Location precision: about 10 m; for sensitive categories the centre of the H3 resolution-8 hexagon (≈0.74 km²) holding it',
  },
  { field: 'status', type: 'string', zh: '公开状态', en: 'Public status' },
  { field: 'reported_at', type: 'ISO 8601', zh: '上报时间', en: 'Reported at' },
  { field: 'closed_at', type: 'ISO 8601 | null', zh: '结案时间', en: 'Closed at' },
  {
    field: 'handling_hours',
    type: 'number | null',
    zh: '上报至结案小时数',
    en: 'Hours from report to closure',
  },
  {
    field: 'photos',
    type: 'URL[]',
    zh: '经审核公开的照片（敏感类别无）',
    en: 'Photos cleared by moderation (none for sensitive categories)',
  },
];
