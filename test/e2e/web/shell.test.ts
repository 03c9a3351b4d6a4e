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

  /** The page has drawn its content: something with a test id in the content area, no spinner. */
  async function settled(page: import('playwright-core').Page) {
    await page.locator('.app-content [data-testid]').first().waitFor({ timeout: 30_000 });
    await expect
      .poll(
        () => page.locator('.app-content .ant-spin-spinning, .app-content .ant-skeleton-active').count(),
        {
          timeout: 30_000,
        },
      )
      .toBe(0);
  }

  /** How far the page is wider than the window (it must not scroll sideways). */
  const overflowOf = (page: import('playwright-core').Page) =>
    page.evaluate(() => {
      const w = globalThis as unknown as {
        innerWidth: number;
        document: { documentElement: { scrollWidth: number } };
      };
      return w.document.documentElement.scrollWidth - w.innerWidth;
    });

  const DESKTOP = { width: 1440, height: 900 };
  const PHONE = { width: 390, height: 844 };

  it('every internal demo role logs in, sees its name and role and its home page drawn, and logs out (1440×900 and 390×844)', {
    timeout: 300_000,
  }, async () => {
    // The printed demo logins (the other generated staff share their roles and pages).
    const logins: readonly string[] = DEMO_LOGINS;
    const users = generateDemoCity().users.filter((u) => u.role !== 'citizen' && logins.includes(u.username));
    expect(users.length).toBe(DEMO_LOGINS.length - 1);
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { page, context, problems } = await openPage(browser, server.url, { viewport });
      for (const u of users) {
        await login(page, u.username);
        const menuText = await page.getByTestId('user-menu').textContent();
        expect(menuText).toContain(u.displayName);
        // On a phone the header keeps to the name; the role is in the menu's drawer title.
        if (size === 'desktop') expect(menuText).toContain(ROLE_NAMES[u.role].zh);
        await settled(page);
        // Nothing makes the page scroll sideways (wide tables scroll inside themselves).
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        expect(overflow, `${u.username} ${size}: page wider than the screen`).toBeLessThanOrEqual(0);
        await screenshot(page, `home-${u.username}-${size}`);
        await logout(page);
      }
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it('on a phone the menu is a drawer and the leader reads the command view and the evaluation', async () => {
    const { page, context, problems } = await openPage(browser, server.url, { viewport: PHONE });
    await login(page, 'leader');
    await settled(page);
    const title = page.locator('.app-title');
    // One line: the title does not wrap a character a line.
    const box = await title.boundingBox();
    expect(box?.height ?? 99).toBeLessThanOrEqual(56);
    expect(await page.locator('.ant-layout-sider').count()).toBe(0);
    await page.getByTestId('menu-open').click();
    await page.locator('.app-drawer .ant-menu-item', { hasText: '综合评价' }).click();
    await settled(page);
    expect(new URL(page.url()).pathname).toBe('/evaluation');
    const overflow = await overflowOf(page);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'phone-leader-evaluation');
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
