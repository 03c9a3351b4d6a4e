import { expect } from 'vitest';

/** Asserts the error envelope of the platform and returns the error. */
export function expectError(res: { statusCode: number; json(): unknown }, status: number, code: string) {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
  const body = res.json() as { error: Record<string, unknown> };
  expect(body.error).toMatchObject({
    code,
    message: expect.any(String),
    messages: { zh: expect.any(String), en: expect.any(String) },
  });
  return body.error as {
    code: string;
    messages: { zh: string; en: string };
    details: Record<string, unknown> | null;
  };
}

export const q = (s: string) => encodeURIComponent(s);
