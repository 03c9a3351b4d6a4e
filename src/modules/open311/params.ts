/**
 * Open311 parameters: the query string and, for POST, the form body
 * (application/x-www-form-urlencoded), read as one set. An empty value is the same as a missing
 * one (the spec: "optional parameters … may be empty"). Attributes come as `attribute[code]`
 * and, for a multivaluelist, as repeated `attribute[code][]`.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';

export interface Params {
  /** The first non-empty value of a plain parameter. */
  get(name: string): string | undefined;
  /** Every non-empty value of each attribute, by its code. */
  attributes: Map<string, string[]>;
  /** Whether `attribute[code][]` (the list form) was used for the code. */
  listForm: Set<string>;
  /** All plain parameters, for the request's fingerprint. */
  entries: Array<[string, string]>;
}

const ATTRIBUTE = /^attribute\[([^\]]*)\](\[\])?$/;

export function readParams(request: FastifyRequest): Params {
  const query = new URL(request.url, 'http://open311.local').searchParams;
  const body = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
  const plain = new Map<string, string>();
  const attributes = new Map<string, string[]>();
  const listForm = new Set<string>();
  const entries: Array<[string, string]> = [];
  // The body first: a POST's own parameters win over the query string's.
  for (const [key, raw] of [...body.entries(), ...query.entries()]) {
    const value = raw.trim();
    if (value === '') continue;
    const m = ATTRIBUTE.exec(key);
    if (m) {
      const code = m[1] as string;
      if (m[2]) listForm.add(code);
      attributes.set(code, [...(attributes.get(code) ?? []), value]);
    } else if (!plain.has(key)) {
      plain.set(key, value);
    }
    entries.push([key, value]);
  }
  return { get: (name) => plain.get(name), attributes, listForm, entries };
}

export function invalid(param: string, en: string, zh: string): AppError {
  return new AppError('OPEN311_PARAM_INVALID', {
    details: { param },
    message: { zh: `参数 ${param} 不合法：${zh}`, en: `${param}: ${en}` },
  });
}

export function required(param: string): AppError {
  return new AppError('OPEN311_PARAM_INVALID', {
    details: { param },
    message: { zh: `缺少参数 ${param}`, en: `${param} is required` },
  });
}

export function number(params: Params, name: string, min: number, max: number): number | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw invalid(name, `a number from ${min} to ${max}`, `应为 ${min} 至 ${max} 之间的数`);
  }
  return n;
}

export function integer(params: Params, name: string, min: number, max: number): number | undefined {
  const n = number(params, name, min, max);
  if (n !== undefined && !Number.isInteger(n)) throw invalid(name, 'a whole number', '应为整数');
  return n;
}

/** W3C / ISO 8601 date-time with a zone, or a bare date (the city's day, +08:00). */
export function dateTime(params: Params, name: string): Date | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  const text = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00+08:00` : raw;
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text);
  const at = new Date(text);
  if (!ok || Number.isNaN(at.getTime())) {
    throw invalid(name, 'an ISO 8601 date-time with a time zone', '应为带时区的 ISO 8601 时间');
  }
  return at;
}
