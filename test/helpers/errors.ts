import { expect } from 'vitest';
import { ERRORS, type ErrorCode } from '../../src/platform/errors.js';

export interface ApiError {
  code: string;
  message: string;
  messages: { zh: string; en: string };
  // biome-ignore lint/suspicious/noExplicitAny: details differ per error code
  details: any;
  requestId: string;
}

interface Res {
  statusCode: number;
  json(): unknown;
  headers?: Record<string, unknown>;
}

/**
 * Asserts the one error format of the API, `{ error: { code, message, messages: { zh, en },
 * details, requestId } }`, with the message in the requested language (Chinese by default).
 * `catalogueMessage` also pins the texts to the catalogue's (for codes sent without a custom message).
 */
export function expectError(
  res: Res,
  status: number,
  code: string,
  opts: { catalogueMessage?: boolean; lang?: 'zh' | 'en' } = {},
): ApiError {
  expect(res.statusCode, JSON.stringify(res.json()).slice(0, 2000)).toBe(status);
  const body = res.json() as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'details', 'message', 'messages', 'requestId']);
  expect(body.error.code).toBe(code);
  const messages = body.error.messages as { zh: unknown; en: unknown };
  expect(Object.keys(messages).sort()).toEqual(['en', 'zh']);
  expect(typeof messages.zh).toBe('string');
  expect(typeof messages.en).toBe('string');
  expect(body.error.message).toBe(messages[opts.lang ?? 'zh']);
  expect(typeof body.error.requestId).toBe('string');
  const header = res.headers?.['x-request-id'];
  if (header !== undefined) expect(body.error.requestId).toBe(header);
  if (opts.catalogueMessage) {
    const entry = ERRORS[code as ErrorCode];
    expect(messages).toEqual({ zh: entry.zh, en: entry.en });
  }
  return body.error as unknown as ApiError;
}
