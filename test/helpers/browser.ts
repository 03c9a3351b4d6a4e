/**
 * Browser tests: the real console served by a real server on a fresh demo-city database,
 * driven by Debian's Chromium through playwright-core. Every page records console errors and
 * failed requests so a test can insist there were none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import type { ApiApp } from '../../src/platform/http/types.js';
import { CHROMIUM, SCREENSHOT_DIR } from './browser-paths.js';
import { openTestStore, type TestStore, testStores } from './stores.js';

export { DEMO_PASSWORD } from './app.js';

export interface ConsoleServer {
  url: string;
  app: ApiApp;
  test: TestStore;
  close(): Promise<void>;
}

/** A server on a random port with the console and a private demo city. */
export async function startConsole(env: Record<string, string> = {}): Promise<ConsoleServer> {
  const buildError = inject('webBuildError');
  if (buildError) throw new Error(`the web console did not build:\n${buildError}`);
  const kind = testStores()[0] ?? 'postgres';
  const test = await openTestStore(kind);
  // With its URL the server LISTENs for case changes on its own connection, as in production.
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    WEB_DIR: inject('webDir'),
    ...(test.url ? { DATABASE_URL: test.url } : {}),
    ...env,
  });
  const app = await buildApp({ store: test.store, config }, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    test,
    async close() {
      await app.close();
      await test.dispose();
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (see .ci/run)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught exceptions and failed same-origin requests seen so far. */
  problems: string[];
}

/** HTTP statuses a test provokes on purpose (e.g. a rejected action) are not page problems. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  options: { viewport?: { width: number; height: number }; allowStatuses?: number[] } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    baseURL,
    viewport: options.viewport ?? { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    // The console honours "reduce motion": no dialog or dropdown is caught half-animated by a
    // click on a busy CI worker.
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const allowed = new Set([401, ...(options.allowStatuses ?? [])]);
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // The browser's own line for a failed request repeats what `response` below decides on.
    if (/Failed to load resource: the server responded with a status of (\d+)/.test(m.text())) return;
    // React's warnings are format strings: the text alone would be "In HTML, %s…".
    const at = m.location();
    const where = at.url ? ` (${at.url.replace(baseURL, '')}:${at.lineNumber}:${at.columnNumber})` : '';
    problems.push(`console: ${m.text()}${where}`);
    void Promise.all(m.args().map((a) => a.jsonValue().catch(() => '?'))).then((args) => {
      if (args.length > 1) problems.push(`  args: ${JSON.stringify(args).slice(0, 600)}`);
    });
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url().startsWith(baseURL) && !allowed.has(r.status())) {
      problems.push(`http ${r.status()} ${r.request().method()} ${r.url()}`);
    }
  });
  page.on('requestfailed', (r) => {
    // Navigations abort in-flight fetches; that is not a failure of the page.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`);
  });
  return { page, context, problems };
}

export async function login(page: Page, username: string, password = 'CityLoop@2026'): Promise<void> {
  await page.goto('/');
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/密码|Password/).fill(password);
  await page.getByRole('button', { name: /登\s*录|Log in/ }).click();
  await page.getByTestId('user-menu').waitFor();
}

export async function logout(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByText(/退出登录|Log out/).click();
  await page.getByRole('button', { name: /登\s*录|Log in/ }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
