/** Shared set-up of the hotline tests: a service account with a key, registered as a system. */
import { expect } from 'vitest';
import type { ApiApp } from '../../platform/http/types.js';
import type { Fixtures, Tokens } from '../cases/testkit.js';

export async function registerHotline(
  app: ApiApp,
  tokens: Tokens,
  fx: Fixtures,
  options: { code: string; baseUrl: string | null; token: string | null },
) {
  const user = await app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: tokens.admin,
    payload: {
      username: `hotline-${options.code}`,
      displayName: `12345热线 ${options.code}`,
      role: 'service',
      divisionCode: '510104',
      kind: 'service',
    },
  });
  expect(user.statusCode, user.body).toBe(201);
  const userId = user.json().user.id as number;
  const key = await app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    headers: tokens.admin,
    payload: {
      name: `12345 ${options.code}`,
      userId,
      permissions: ['case.read', 'case.report', 'case.act', 'geocode.read'],
    },
  });
  expect(key.statusCode, key.body).toBe(201);
  const system = await app.inject({
    method: 'POST',
    url: '/api/v1/hotline/systems',
    headers: tokens.admin,
    payload: {
      code: options.code,
      name: `12345 政务服务便民热线 ${options.code}`,
      serviceUserId: userId,
      baseUrl: options.baseUrl,
      outboundToken: options.token,
      defaultCategory: { kind: 'event', code: fx.category.code },
    },
  });
  expect(system.statusCode, system.body).toBe(200);
  return { apiKey: key.json().key as string, systemId: system.json().id as number, userId };
}

let serial = 0;
/** A work order at a place of the supervisor's grid (so the whole loop can run). */
export function workOrder(fx: Fixtures, overrides: Record<string, unknown> = {}) {
  serial++;
  return {
    orderNo: `GD${Date.now()}${String(serial).padStart(4, '0')}`,
    acceptedAt: new Date().toISOString(),
    appellant: { name: '李女士', phone: '13800000000' },
    content: '小区门口垃圾堆放多日无人清理，气味很大',
    appealType: '投诉',
    address: '锦江区测试路 12 号',
    location: { lng: fx.supervised.lng, lat: fx.supervised.lat },
    organizer: '锦江区城市管理局',
    urgency: '一般',
    ...overrides,
  };
}
