/** Shared set-up of the camera tests: a video-analysis platform's service account and key. */
import { expect } from 'vitest';
import type { ApiApp } from '../../platform/http/types.js';
import type { Tokens } from '../cases/testkit.js';

let serial = 0;
export async function registerPlatform(
  app: ApiApp,
  tokens: Tokens,
  permissions = ['case.read', 'case.report'],
) {
  serial++;
  const user = await app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: tokens.admin,
    payload: {
      username: `video-ai-${serial}`,
      displayName: `视频AI平台 ${serial}`,
      role: 'service',
      divisionCode: '510104',
      kind: 'service',
    },
  });
  expect(user.statusCode, user.body).toBe(201);
  const key = await app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    headers: tokens.admin,
    payload: { name: `video ai ${serial}`, userId: user.json().user.id, permissions },
  });
  expect(key.statusCode, key.body).toBe(201);
  return { apiKey: key.json().key as string, userId: user.json().user.id as number };
}
