/**
 * GeoJSON features → gazetteer entries, validated field by field so an import can name every
 * bad row (feature index + field + zh/en message) before anything reaches SQL.
 */
import { normaliseDoorNumber, parseRoadName } from './address.js';
import { type Crs, type LngLat, toWgs84 } from './crs.js';

export type GazetteerKind = 'roads' | 'addresses' | 'pois';

export interface FieldError {
  index: number;
  field: string;
  message: { zh: string; en: string };
}

export interface RoadEntry {
  name: string;
  baseName: string;
  segment: string | null;
  aliases: string[];
  districtCode: string | null;
  line: LngLat[];
}
export interface AddressEntry {
  /** Road by id, or by name (+ district when the name repeats). */
  roadId: number | null;
  road: string | null;
  districtCode: string | null;
  number: string;
  numberMain: number;
  point: LngLat;
}
export interface PoiEntry {
  name: string;
  aliases: string[];
  category: string;
  address: string | null;
  point: LngLat;
}
export type Entry<K extends GazetteerKind> = K extends 'roads'
  ? RoadEntry
  : K extends 'addresses'
    ? AddressEntry
    : PoiEntry;

export const MAX_LINE_POSITIONS = 5000;

type Props = Record<string, unknown>;

class Collector {
  readonly errors: FieldError[] = [];
  constructor(readonly index: number) {}
  fail(field: string, zh: string, en: string): null {
    this.errors.push({ index: this.index, field, message: { zh, en } });
    return null;
  }
  text(props: Props, field: string, opts: { min: number; max: number; required: boolean }): string | null {
    const v = props[field];
    if (v === undefined || v === null || v === '') {
      return opts.required ? this.fail(field, `缺少 ${field}`, `${field} is required`) : null;
    }
    if (typeof v !== 'string') return this.fail(field, `${field} 应为文本`, `${field} must be a string`);
    const s = v.normalize('NFKC').trim();
    if (s.length < opts.min || s.length > opts.max) {
      return this.fail(
        field,
        `${field} 长度应为 ${opts.min}–${opts.max} 个字符`,
        `${field} must be ${opts.min}–${opts.max} characters long`,
      );
    }
    return s;
  }
  aliases(props: Props): string[] {
    const v = props.aliases;
    if (v === undefined || v === null) return [];
    if (
      !Array.isArray(v) ||
      v.length > 20 ||
      v.some((a) => typeof a !== 'string' || !a.trim() || a.length > 60)
    ) {
      this.fail('aliases', 'aliases 应为最多 20 个非空文本', 'aliases must be up to 20 non-empty strings');
      return [];
    }
    return [...new Set(v.map((a: string) => a.normalize('NFKC').trim()))];
  }
  districtCode(props: Props): string | null {
    const v = props.districtCode;
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string' || !/^[0-9]{6}$/.test(v)) {
      return this.fail(
        'districtCode',
        'districtCode 应为 6 位区县代码',
        'districtCode must be a 6-digit district code',
      );
    }
    return v;
  }
  position(p: unknown, field: string): LngLat | null {
    if (
      !Array.isArray(p) ||
      p.length < 2 ||
      p.length > 3 ||
      !p.every((x) => typeof x === 'number' && Number.isFinite(x))
    ) {
      return this.fail(field, `${field} 应为 [经度, 纬度]`, `${field} must be [lng, lat] numbers`);
    }
    const [lng, lat] = p as [number, number];
    if (lng < -180 || lng > 180 || lat < -90 || lat > 90) {
      return this.fail(field, `${field} 超出经纬度范围`, `${field} is outside the lng/lat range`);
    }
    return [lng, lat];
  }
  geometry(g: unknown, type: 'Point' | 'LineString'): unknown[] | null {
    if (!g || typeof g !== 'object' || (g as { type?: unknown }).type !== type) {
      return this.fail('geometry', `geometry 应为 ${type}`, `geometry must be a ${type}`);
    }
    const coordinates = (g as { coordinates?: unknown }).coordinates;
    if (!Array.isArray(coordinates))
      return this.fail('geometry', 'geometry 缺少坐标', 'geometry has no coordinates');
    return coordinates;
  }
}

function propsOf(feature: unknown, c: Collector): Props | null {
  if (!feature || typeof feature !== 'object' || (feature as { type?: unknown }).type !== 'Feature') {
    return c.fail('type', '应为 GeoJSON Feature', 'must be a GeoJSON Feature');
  }
  const props = (feature as { properties?: unknown }).properties;
  if (props !== null && props !== undefined && (typeof props !== 'object' || Array.isArray(props))) {
    return c.fail('properties', 'properties 应为对象', 'properties must be an object');
  }
  return (props ?? {}) as Props;
}

function road(feature: unknown, c: Collector, crs: Crs): RoadEntry | null {
  const props = propsOf(feature, c);
  if (!props) return null;
  const name = c.text(props, 'name', { min: 2, max: 60, required: true });
  const aliases = c.aliases(props);
  const districtCode = c.districtCode(props);
  const coords = c.geometry((feature as { geometry?: unknown }).geometry, 'LineString');
  let line: LngLat[] | null = null;
  if (coords) {
    if (coords.length < 2 || coords.length > MAX_LINE_POSITIONS) {
      c.fail(
        'geometry',
        `线要素应有 2–${MAX_LINE_POSITIONS} 个点`,
        `a LineString needs 2–${MAX_LINE_POSITIONS} positions`,
      );
    } else {
      const positions = coords.map((p, i) => c.position(p, `geometry.coordinates[${i}]`));
      if (positions.every((p): p is LngLat => p !== null)) {
        const distinct = new Set(positions.map((p) => `${p[0]},${p[1]}`));
        if (distinct.size < 2) c.fail('geometry', '线要素长度为零', 'the LineString has zero length');
        else line = positions.map(([x, y]) => toWgs84(x, y, crs));
      }
    }
  }
  if (!name || !line || c.errors.length) return null;
  const { base, segment } = parseRoadName(name);
  return { name, baseName: base, segment, aliases, districtCode, line };
}

function point(feature: unknown, c: Collector, crs: Crs): LngLat | null {
  const coords = c.geometry((feature as { geometry?: unknown }).geometry, 'Point');
  const p = coords ? c.position(coords, 'geometry.coordinates') : null;
  return p ? toWgs84(p[0], p[1], crs) : null;
}

function address(feature: unknown, c: Collector, crs: Crs): AddressEntry | null {
  const props = propsOf(feature, c);
  if (!props) return null;
  const roadId = props.roadId;
  if (roadId !== undefined && roadId !== null && !(Number.isInteger(roadId) && (roadId as number) > 0)) {
    c.fail('roadId', 'roadId 应为正整数', 'roadId must be a positive integer');
  }
  const roadName = c.text(props, 'road', {
    min: 2,
    max: 60,
    required: roadId === undefined || roadId === null,
  });
  const districtCode = c.districtCode(props);
  const raw = c.text(props, 'number', { min: 1, max: 20, required: true });
  const door = raw ? normaliseDoorNumber(raw) : null;
  if (raw && !door)
    c.fail(
      'number',
      `门牌号 “${raw}” 格式不正确（如 88号、88-1号）`,
      `door number "${raw}" is malformed (e.g. 88号, 88-1号)`,
    );
  const p = point(feature, c, crs);
  if (!door || !p || c.errors.length) return null;
  return {
    roadId: typeof roadId === 'number' ? roadId : null,
    road: roadName,
    districtCode,
    number: door.text,
    numberMain: door.main,
    point: p,
  };
}

function poi(feature: unknown, c: Collector, crs: Crs): PoiEntry | null {
  const props = propsOf(feature, c);
  if (!props) return null;
  const name = c.text(props, 'name', { min: 1, max: 80, required: true });
  const aliases = c.aliases(props);
  const category = c.text(props, 'category', { min: 1, max: 20, required: true });
  const addressText = c.text(props, 'address', { min: 1, max: 120, required: false });
  const p = point(feature, c, crs);
  if (!name || !category || !p || c.errors.length) return null;
  return { name, aliases, category, address: addressText, point: p };
}

const PARSERS = { roads: road, addresses: address, pois: poi } as const;

/** One feature → an entry in WGS84, or the errors naming its fields. */
export function readFeature<K extends GazetteerKind>(
  kind: K,
  feature: unknown,
  index: number,
  crs: Crs = 'wgs84',
): { entry: Entry<K> | null; errors: FieldError[] } {
  const c = new Collector(index);
  const entry = PARSERS[kind](feature, c, crs) as Entry<K> | null;
  return { entry: c.errors.length ? null : entry, errors: c.errors };
}
