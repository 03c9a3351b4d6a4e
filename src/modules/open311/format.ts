/**
 * Open311 answers in the two formats of GeoReport v2: XML (the one the spec requires) and JSON,
 * from one plain value. Element names are the JSON keys; a list is written as its container
 * element holding one element per item (`services` → `service`), as in the spec's examples.
 * Dates are ISO 8601 with the city's offset (+08:00): the spec asks for a time zone.
 */

export type Format = 'xml' | 'json';

/** The element name of one item of each list the spec defines. */
const ITEM: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
  notes: 'note',
  service_request_updates: 'request_update',
};

/** Characters XML 1.0 cannot carry at all (C0 controls but tab, LF, CR; U+FFFE/FFFF). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: exactly the characters to drop
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}></${name}>`;
  if (Array.isArray(value)) {
    const item = ITEM[name] ?? 'item';
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A document: `root` is the list's (or object's) element, e.g. 'services' or 'service_definition'. */
export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>${element(root, value)}`;
}

export const CONTENT_TYPE: Record<Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The answer body in a format: JSON is the value itself (a list stays a bare array). */
export function render(format: Format, root: string, value: unknown): string {
  return format === 'xml' ? toXml(root, value) : JSON.stringify(value);
}

const OFFSET_MS = 8 * 3600_000;

/** 2026-12-07T09:30:00+08:00 (seconds, the city's offset). */
export function isoLocal(at: Date | string): string {
  const t = new Date(at).getTime();
  const local = new Date(t + OFFSET_MS).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

export function isFormat(value: string): value is Format {
  return value === 'xml' || value === 'json';
}
