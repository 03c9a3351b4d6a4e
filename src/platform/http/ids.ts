/**
 * Ids and counts in paths, query strings and bodies. One rule everywhere: a canonical decimal
 * integer within the range of the database column, else 400. In a path or query string that
 * means digits only — no sign, leading zero, fraction, exponent, hex or blanks; in a JSON body,
 * a JSON integer (never a string, array or boolean). `z.coerce.number()` took `0x368`, `872e0`,
 * `+872`, `0872`, `872.0` and even `[872]` for 872, and ids past the column's range reached
 * PostgreSQL as an integer overflow, a 500.
 */
import { z } from 'zod';

/** `serial` / `integer` columns. */
export const INT4_MAX = 2_147_483_647;
/** `bigserial` columns, as far as a JavaScript number holds them exactly. */
export const BIGINT_ID_MAX = Number.MAX_SAFE_INTEGER;

const CANONICAL = /^(0|[1-9][0-9]*)$/;
const TEXT_RULE = 'digits only: no sign, leading zero, fraction, exponent or blanks';

/** A whole number in a JSON body. */
const jsonInteger = (min: number, max: number) =>
  z
    .int({ error: `an integer from ${min} to ${max}` })
    .min(min)
    .max(max);

/** A whole number written in a path or query string, canonical, within range. */
const textInteger = (min: number, max: number) =>
  z
    .string()
    // 16 digits pass every range used here; longer text is refused before it becomes a Number.
    .max(16, `an integer from ${min} to ${max}`)
    .regex(CANONICAL, `an integer from ${min} to ${max}, ${TEXT_RULE}`)
    .transform(Number)
    .pipe(z.int().min(min).max(max));

/** The id of a row in a `serial` table, in a JSON body. */
export const id = jsonInteger(1, INT4_MAX);
/** The id of a row in a `serial` table, in a path or query string. */
export const idParam = textInteger(1, INT4_MAX);
/** The id of a row in a `bigserial` table (audit log, moderation queue …), in a path or query string. */
export const bigIdParam = textInteger(1, BIGINT_ID_MAX);
/** A count or position in a query string (limit, offset, days …), written like an id. */
export const queryInt = (min: number, max: number = INT4_MAX) => textInteger(min, max);
/** An integer in a JSON body stored in an `integer` column that is not an id (a row version). */
export const int4 = (min = 0) => jsonInteger(min, INT4_MAX);
