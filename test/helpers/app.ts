import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Store } from '../../src/platform/db/store.js';
import type { ApiApp } from '../../src/platform/http/types.js';

export const DEMO_PASSWORD = 'CityLoop@2026';

export async function testApp(store: Store, env: Record<string, string> = {}): Promise<ApiApp> {
  // API only unless a test asks for the console (WEB_DIR): a stray local build must not
  // change what unknown URLs answer.
  const config = loadConfig({ LOG_LEVEL: 'silent', WEB_DIR: '/nonexistent/cityloop-web', ...env });
  const app = await buildApp({ store, config }, { logger: false });
  await app.ready();
  return app;
}

/** Logs a demo user in as an app client and returns the Authorization header to use. */
export async function bearer(
  app: ApiApp,
  username: string,
  password = DEMO_PASSWORD,
): Promise<{ authorization: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password, client: 'app' },
  });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  return { authorization: `Bearer ${res.json().token}` };
}
