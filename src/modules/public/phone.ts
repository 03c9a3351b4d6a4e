/**
 * Optional phone verification (PUBLIC_PHONE_VERIFY=true): a 6-digit code, stored as a salted
 * hash, valid 10 minutes, 5 attempts, used once. Sending is a deployment integration (an SMS
 * gateway); the default sender writes the code to the server log.
 */
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;

export type CodeSender = (phone: string, code: string, log: FastifyBaseLogger) => Promise<void>;

const logSender: CodeSender = async (phone, code, log) => {
  log.info({ phone, code }, 'phone verification code (no SMS gateway configured)');
};

/** Where codes go; a deployment with an SMS gateway replaces `send`. */
export const phoneCodeSender: { send: CodeSender } = { send: logSender };

const hashOf = (salt: string, code: string) => createHash('sha256').update(`${salt}:${code}`).digest('hex');

export async function sendPhoneCode(db: Kysely<Database>, phone: string, log: FastifyBaseLogger) {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16).toString('hex');
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + CODE_TTL_MS);
  await db
    .insertInto('public_phone_codes')
    .values({ id, phone, salt, code_hash: hashOf(salt, code), expires_at: expiresAt })
    .execute();
  await phoneCodeSender.send(phone, code, log);
  return { id, expiresAt: expiresAt.toISOString() };
}

/**
 * Checks and uses up a code for `phone`. A wrong code costs an attempt (committed even though
 * the request fails); the last allowed attempt burns the code.
 */
export async function consumePhoneCode(
  db: Kysely<Database>,
  phone: string,
  given: { id: string; code: string },
): Promise<void> {
  const row = await db
    .selectFrom('public_phone_codes')
    .selectAll()
    .where('id', '=', given.id)
    .where('phone', '=', phone)
    .executeTakeFirst();
  if (!row || row.used_at || row.expires_at.getTime() <= Date.now() || row.attempts >= MAX_ATTEMPTS) {
    throw new AppError('PUBLIC_PHONE_CODE_EXPIRED');
  }
  const ok = timingSafeEqual(Buffer.from(hashOf(row.salt, given.code)), Buffer.from(row.code_hash));
  if (!ok) {
    const after = await db
      .updateTable('public_phone_codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', row.id)
      .returning('attempts')
      .executeTakeFirstOrThrow();
    throw new AppError('PUBLIC_PHONE_CODE_WRONG', {
      details: { attemptsLeft: Math.max(0, MAX_ATTEMPTS - after.attempts) },
    });
  }
  // Conditional: of two reports racing with one code, only one uses it.
  const used = await db
    .updateTable('public_phone_codes')
    .set({ used_at: new Date() })
    .where('id', '=', row.id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) throw new AppError('PUBLIC_PHONE_CODE_EXPIRED');
}
