/**
 * A GeoReport v2 client written from the specification alone (open311.org GeoReport v2 and
 * mySociety's servicerequestupdates), talking real HTTP to a listening server: form-encoded
 * POSTs with `attribute[code]` / `attribute[code][]`, the `.xml` / `.json` suffix, XML read with
 * a real XML parser. It knows nothing of CityLoop's code.
 *
 * Why not the npm `open311` package: its last release (0.0.12, written in 2011–2012) depends on
 * `request` 2.11, on `xml2json` (a native build of node-expat) and on `sparkxml` from a git://
 * URL that cannot be installed here; it also has no servicerequestupdates.
 */
import { XMLParser } from 'fast-xml-parser';

export type Format = 'xml' | 'json';

/** The list element of each container of the spec's XML, as in its examples. */
const CONTAINERS: Record<string, string> = {
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
const ITEMS = new Set(Object.values(CONTAINERS));

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => ITEMS.has(name),
});

/** XML as the tree of strings the spec's JSON would be, with every leaf as text. */
function fromXml(name: string, node: unknown): unknown {
  const item = CONTAINERS[name];
  if (item) {
    if (node === '' || node === undefined) return [];
    const list = (node as Record<string, unknown[]>)[item] ?? [];
    return list.map((child) => fromXml(item, child));
  }
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fromXml(k, v)]));
  }
  return node === undefined ? '' : String(node);
}

/** JSON in the same tree: every leaf as text, null as an empty element. */
export function asText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asText);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asText(v)]));
  }
  return value === null || value === undefined ? '' : String(value);
}

export interface Answer {
  status: number;
  contentType: string;
  raw: string;
  /** JSON: the parsed body; XML: the root's content as a text tree. */
  body: unknown;
  root: string | null;
}

export type Attributes = Record<string, string | string[]>;

export class Open311Client {
  constructor(
    readonly endpoint: string,
    readonly apiKey?: string,
  ) {}

  private async answer(res: Response, format: Format): Promise<Answer> {
    const raw = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    if (format === 'json') return { status: res.status, contentType, raw, body: JSON.parse(raw), root: null };
    const doc = parser.parse(raw) as Record<string, unknown>;
    const root = Object.keys(doc).find((k) => k !== '?xml') ?? '';
    return { status: res.status, contentType, raw, body: fromXml(root, doc[root]), root };
  }

  async get(path: string, format: Format, params: Record<string, string> = {}): Promise<Answer> {
    const query = new URLSearchParams(params);
    if (this.apiKey && !query.has('api_key')) query.set('api_key', this.apiKey);
    const qs = query.toString();
    const res = await fetch(`${this.endpoint}${path}.${format}${qs ? `?${qs}` : ''}`);
    return this.answer(res, format);
  }

  async post(
    path: string,
    format: Format,
    fields: Record<string, string>,
    attributes: Attributes = {},
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const form = new URLSearchParams();
    if (this.apiKey) form.set('api_key', this.apiKey);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [code, v] of Object.entries(attributes)) {
      if (Array.isArray(v)) for (const one of v) form.append(`attribute[${code}][]`, one);
      else form.append(`attribute[${code}]`, v);
    }
    const res = await fetch(`${this.endpoint}${path}.${format}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form.toString(),
    });
    return this.answer(res, format);
  }

  discovery(format: Format = 'json') {
    return this.get('discovery', format);
  }
  services(format: Format = 'json') {
    return this.get('services', format);
  }
  definition(code: string, format: Format = 'json') {
    return this.get(`services/${encodeURIComponent(code)}`, format);
  }
  submit(fields: Record<string, string>, attributes: Attributes = {}, format: Format = 'json', headers = {}) {
    return this.post('requests', format, fields, attributes, headers);
  }
  token(token: string, format: Format = 'json') {
    return this.get(`tokens/${encodeURIComponent(token)}`, format);
  }
  requests(params: Record<string, string> = {}, format: Format = 'json') {
    return this.get('requests', format, params);
  }
  request(id: string, format: Format = 'json', params: Record<string, string> = {}) {
    return this.get(`requests/${encodeURIComponent(id)}`, format, params);
  }
  updates(params: Record<string, string> = {}, format: Format = 'json') {
    return this.get('servicerequestupdates', format, params);
  }
  postUpdate(fields: Record<string, string>, format: Format = 'json') {
    return this.post('servicerequestupdates', format, fields);
  }
}
