/** The console shell in a real browser: login per role, errors in Chinese, language, deep links. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_NAMES } from '../../../src/domain/access/permissions.js';
import { DEMO_LOGINS, generateDemoCity } from '../../../src/domain/demo-city/index.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  logout,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

describe('web console shell', () => {
  let server: ConsoleServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('every internal demo role logs in, sees its name and role, and logs out', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    // The printed demo logins (the other generated staff share their roles and pages).
    const logins: readonly string[] = DEMO_LOGINS;
    const users = generateDemoCity().users.filter((u) => u.role !== 'citizen' && logins.includes(u.username));
    expect(users.length).toBe(DEMO_LOGINS.length - 1);
    for (const u of users) {
      await login(page, u.username);
      await expect(page.getByTestId('user-menu')).toBeTruthy();
      const menuText = await page.getByTestId('user-menu').textContent();
      expect(menuText).toContain(u.displayName);
      expect(menuText).toContain(ROLE_NAMES[u.role].zh);
      await screenshot(page, `home-${u.username}`);
      await logout(page);
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a wrong password shows the server message in Chinese and in English after switching', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await page.goto('/');
    await page.getByLabel('用户名').fill('intake');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('用户名或密码错误');
    await page.getByRole('button', { name: 'language' }).click();
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Wrong username or password');
    await screenshot(page, 'login-error-en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a console URL opened directly loads the app; an unknown API URL stays a JSON 404', async () => {
    const { page, context } = await openPage(browser, server.url, { allowStatuses: [404] });
    const res = await page.goto('/some/deep/link');
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-type']).toContain('text/html');
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
    const api = await page.request.get('/api/v1/no-such-thing');
    expect(api.status()).toBe(404);
    expect((await api.json()).error.code).toBe('ROUTE_NOT_FOUND');
    await context.close();
  });
});
