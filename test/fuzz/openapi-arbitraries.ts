/**
 * fast-check arbitraries from the OpenAPI document: values that fit a request body schema, and
 * malformed requests that no correct server may accept. Every malformed request carries at least
 * one defect the server must refuse whatever else the request says (a wrong JSON type where the
 * schema names one type, a missing required field, an unknown field in a closed object, a NUL
 * character, broken or too deep JSON, a content type nothing accepts, an impossible path).
 */
import fc from 'fast-check';

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  nullable?: boolean;
  default?: unknown;
}

export interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  open: boolean;
  parameters: Parameter[];
  /** The JSON body schema, when the operation documents one. */
  body: Schema | null;
  /** Non-JSON body types the operation documents (xlsx imports …). */
  rawTypes: string[];
}

/** The write operations of an OpenAPI 3 document. */
export function writeOperations(doc: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const op = ops[method] as
        | {
            security?: unknown[];
            parameters?: Parameter[];
            requestBody?: { content?: Record<string, { schema?: Schema }> };
          }
        | undefined;
      if (!op) continue;
      const content = op.requestBody?.content ?? {};
      out.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        open: Array.isArray(op.security) && op.security.length === 0,
        parameters: op.parameters ?? [],
        body: content['application/json']?.schema ?? null,
        rawTypes: Object.keys(content).filter((t) => t !== 'application/json'),
      });
    }
  }
  return out;
}

const MAX_TEXT = 40;

/** Values that fit `schema` (as far as its JSON Schema says; zod refinements may still refuse). */
export function fitting(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fitting(s, depth)));
  const base = ((): fc.Arbitrary<unknown> => {
    switch (schema.type) {
      case 'string': {
        if (schema.format === 'date-time') {
          return fc
            .date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString());
        }
        if (schema.format === 'date') {
          return fc
            .date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString().slice(0, 10));
        }
        if (schema.format === 'uuid') return fc.uuid();
        const min = schema.minLength ?? 0;
        const max = Math.max(min, Math.min(schema.maxLength ?? MAX_TEXT, MAX_TEXT));
        if (schema.pattern) {
          return fc
            .stringMatching(new RegExp(schema.pattern))
            .filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY));
        }
        return fc.string({ minLength: min, maxLength: max, unit: 'grapheme' });
      }
      case 'integer':
        return fc.integer({
          min: Math.max(schema.minimum ?? -1000, -(2 ** 31)),
          max: Math.min(schema.maximum ?? 100_000, 2 ** 31 - 1),
        });
      case 'number': {
        const min = schema.minimum ?? -1000;
        const max = schema.maximum ?? 1000;
        return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).filter((n) => {
          if (schema.exclusiveMinimum === true && n === min) return false;
          if (schema.exclusiveMaximum === true && n === max) return false;
          return true;
        });
      }
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const minLength = schema.minItems ?? 0;
        const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, depth > 2 ? minLength : 3));
        const item: fc.Arbitrary<unknown> = schema.items
          ? fitting(schema.items, depth + 1)
          : fc.jsonValue({ maxDepth: 1 });
        return fc.array(item, {
          minLength,
          maxLength,
        });
      }
      case 'object': {
        const props = schema.properties ?? {};
        const required = new Set(schema.required ?? []);
        // Optional fields are left out deeper down, to keep the values small.
        const keys = Object.keys(props).filter((k) => required.has(k) || depth < 3);
        return fc.record(Object.fromEntries(keys.map((k) => [k, fitting(props[k] as Schema, depth + 1)])), {
          requiredKeys: keys.filter((k) => required.has(k)),
        });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  return schema.nullable ? fc.option(base, { nil: null, freq: 5 }) : base;
}

/** JSON values of another type than `type`: a schema naming one type refuses each of them. */
function otherType(type: string, nullable: boolean): fc.Arbitrary<unknown> {
  const all: Array<[string, fc.Arbitrary<unknown>]> = [
    ['string', fc.string({ maxLength: 8 })],
    ['number', fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(0.5))],
    ['integer', fc.integer()],
    ['boolean', fc.boolean()],
    ['array', fc.array(fc.integer(), { maxLength: 2 })],
    ['object', fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 })],
    ['null', fc.constant(null)],
  ];
  const excluded = new Set([type, ...(type === 'number' ? ['integer'] : []), ...(nullable ? ['null'] : [])]);
  // An integer where a number is expected is fine; 0.5 where an integer is expected is not.
  return fc.oneof(...all.filter(([t]) => !excluded.has(t)).map(([, a]) => a));
}

/** A value outside a single-typed schema's own bounds (range, length, enum, pattern). */
function outOfBounds(schema: Schema): fc.Arbitrary<unknown> | null {
  if (schema.enum) {
    const known = new Set(schema.enum.map((v) => JSON.stringify(v)));
    return fc.string({ maxLength: 12 }).filter((s) => !known.has(JSON.stringify(s)));
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    const options: fc.Arbitrary<unknown>[] = [];
    if (schema.maximum !== undefined) options.push(fc.constantFrom(schema.maximum + 1, 2 ** 31, 2 ** 53));
    if (schema.minimum !== undefined) options.push(fc.constantFrom(schema.minimum - 1, -(2 ** 31) - 1));
    if (schema.type === 'integer') options.push(fc.constantFrom(0.5, 1e-7, 1.000001));
    return options.length ? fc.oneof(...options) : null;
  }
  if (schema.type === 'string' && schema.maxLength !== undefined && schema.maxLength < 5000) {
    return fc.constant('字'.repeat(schema.maxLength + 1));
  }
  return null;
}

type Path = Array<string | number>;

/** Paths (in a value that fits `schema`) whose schema is plain (one type), with that schema. */
function plainLeaves(schema: Schema, value: unknown, path: Path = []): Array<[Path, Schema]> {
  if (schema.anyOf || schema.oneOf || !schema.type) return [];
  const here: Array<[Path, Schema]> = [[path, schema]];
  if (schema.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      const s = schema.properties?.[k];
      if (s) here.push(...plainLeaves(s, v, [...path, k]));
    }
  }
  if (schema.type === 'array' && Array.isArray(value) && schema.items) {
    value.forEach((v, i) => {
      here.push(...plainLeaves(schema.items as Schema, v, [...path, i]));
    });
  }
  return here;
}

const getAt = (root: unknown, path: Path): unknown =>
  path.reduce<unknown>((o, p) => (o as Record<string | number, unknown>)[p], root);

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head as string | number] = setAt(copy[head as string | number], rest, value);
  return copy;
}

/** A body that fits the schema except for one defect the schema itself forbids. */
export function schemaViolation(schema: Schema): fc.Arbitrary<{ body: unknown; defect: string }> {
  return fitting(schema).chain((valid) => {
    const leaves = plainLeaves(schema, valid);
    const options: fc.Arbitrary<{ body: unknown; defect: string }>[] = [];
    for (const [path, s] of leaves) {
      const where = path.join('.') || '(body)';
      options.push(
        otherType(s.type as string, !!s.nullable).map((v) => ({
          body: setAt(valid, path, v),
          defect: `wrong type at ${where}`,
        })),
      );
      const out = outOfBounds(s);
      if (out)
        options.push(out.map((v) => ({ body: setAt(valid, path, v), defect: `out of bounds at ${where}` })));
      const here = getAt(valid, path) as Record<string, unknown>;
      if (s.type === 'object' && s.required?.length) {
        options.push(
          fc.constantFrom(...s.required).map((k) => {
            const { [k]: _dropped, ...rest } = here;
            return { body: setAt(valid, path, rest), defect: `missing ${where}.${k}` };
          }),
        );
      }
      if (s.type === 'object' && s.additionalProperties === false) {
        options.push(
          fc.constant({
            body: setAt(valid, path, { ...here, __fuzz_unknown: 1 }),
            defect: `unknown field in ${where}`,
          }),
        );
      }
    }
    return options.length ? fc.oneof(...options) : fc.constant({ body: [valid], defect: 'body in an array' });
  });
}

/** Text with a NUL character somewhere. */
export const nulText = fc
  .tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }))
  .map(([a, b]) => `${a}\u0000${b}`);
