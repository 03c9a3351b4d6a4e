/** The answers a POST gives to a service definition's attributes, checked against it. */
import { AppError } from '../../platform/errors.js';
import type { Params } from './params.js';
import type { Attribute } from './services.js';

const attributeError = (code: string, en: string, zh: string) =>
  new AppError('OPEN311_ATTRIBUTE_INVALID', {
    details: { attribute: code },
    message: { zh: `属性 ${code}：${zh}`, en: `attribute[${code}]: ${en}` },
  });

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function checkOne(a: Attribute, values: string[]): string | string[] {
  const keys = new Set((a.values ?? []).map((v) => v.key));
  const single = () => {
    if (values.length > 1) throw attributeError(a.code, 'one value expected', '只能有一个值');
    return values[0] as string;
  };
  switch (a.datatype) {
    case 'string': {
      const v = single();
      if (v.length > 1000) throw attributeError(a.code, 'at most 1000 characters', '不超过 1000 字');
      return v;
    }
    case 'text': {
      const v = single();
      if (v.length > 4000) throw attributeError(a.code, 'at most 4000 characters', '不超过 4000 字');
      return v;
    }
    case 'number': {
      const v = single();
      if (!Number.isFinite(Number(v))) throw attributeError(a.code, 'a number', '应为数字');
      return v;
    }
    case 'datetime': {
      const v = single();
      if (!ISO.test(v) || Number.isNaN(new Date(v).getTime())) {
        throw attributeError(a.code, 'an ISO 8601 date-time', '应为 ISO 8601 时间');
      }
      return v;
    }
    case 'singlevaluelist': {
      const v = single();
      if (!keys.has(v)) throw attributeError(a.code, `not one of the values' keys`, '不在可选值中');
      return v;
    }
    case 'multivaluelist': {
      const unknown = values.filter((v) => !keys.has(v));
      if (unknown.length > 0) throw attributeError(a.code, `not among the values' keys`, '不在可选值中');
      return [...new Set(values)];
    }
  }
}

/**
 * The attributes to keep: each defined, variable one checked against its datatype (a required one
 * must be there); others a client sends (its own ids, a report URL) are kept as given.
 */
export function checkAttributes(defined: Attribute[], params: Params): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const byCode = new Map(defined.map((a) => [a.code, a]));
  for (const a of defined) {
    if (!a.variable) continue;
    const values = params.attributes.get(a.code);
    if (!values || values.length === 0) {
      if (a.required) throw attributeError(a.code, 'required', '必填');
      continue;
    }
    out[a.code] = checkOne(a, values);
  }
  for (const [code, values] of params.attributes) {
    if (byCode.has(code)) continue;
    if (code.length > 40 || values.some((v) => v.length > 1000)) {
      throw attributeError(code.slice(0, 40), 'too long', '过长');
    }
    out[code] = params.listForm.has(code) ? values : (values[0] as string);
  }
  if (Object.keys(out).length > 50) throw attributeError('*', 'at most 50 attributes', '属性不超过 50 个');
  return out;
}
