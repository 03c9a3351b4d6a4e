/**
 * The work queues in a real browser: the source column, batch 立案, a quick 派遣 from the row in
 * the same form as on the case page (the operator stays on the queue), and a new task pushed
 * over the live stream without a reload.
 */
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../../src/modules/cases/testkit.js';
import { activeScheme } from '../../../src/modules/catalog/scheme.js';
import { bearer } from '../../helpers/app.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

const USERS = ['intake', 'supervisor', 'shiftlead', 'dispatcher', 'admin'] as const;
type User = (typeof USERS)[number];

describe('work queues', { timeout: 150_000 }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  let tokens: Record<User, { authorization: string }>;
  let point: { lng: number; lat: number };
  let categoryCode: string;

  const call = async (user: User, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await server.app.inject({
      method,
      url,
      headers: tokens[user],
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    expect(res.statusCode, `${user} ${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  const getCase = (id: number) => call('admin', 'GET', `/api/v1/cases/${id}`);
  const apiAct = async (user: User, id: number, action: string, body: Record<string, unknown> = {}) =>
    call(user, 'POST', `/api/v1/cases/${id}/actions/${action}`, {
      version: (await getCase(id)).version,
      ...body,
    });
  /** A hotline report in the supervisor's grid, verified: waiting in 待立案. */
  const verified = async (description: string) => {
    const id = (
      await call('intake', 'POST', '/api/v1/cases', {
        source: 'hotline_12345',
        kind: 'event',
        categoryCode,
        lng: point.lng,
        lat: point.lat,
        address: '锦江区测试路 9 号',
        description,
      })
    ).id as number;
    await apiAct('intake', id, 'request_verification');
    await apiAct('supervisor', id, 'verify');
    return id;
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
    tokens = Object.fromEntries(
      await Promise.all(USERS.map(async (u) => [u, await bearer(server.app, u)] as const)),
    ) as typeof tokens;
    point = (await fixtures(server.test.store)).supervised;
    // A class the responsibility table gives to a department, so that 派遣 has a suggestion.
    const cat = await sql<{ code: string }>`
      SELECT c.code FROM categories c JOIN responsibility_rules r ON r.category_id = c.id
      WHERE c.scheme = ${activeScheme()} AND c.kind = 'event' AND c.level = 'minor' AND c.active
        AND r.department_codes[1] = 'SZ'
      ORDER BY c.code LIMIT 1`.execute(server.test.store.db);
    categoryCode = cat.rows[0]?.code ?? '';
    expect(categoryCode).not.toBe('');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('files two cases in one batch, then a pushed new task appears without a reload', async () => {
    const ids = [await verified('批量立案测试一'), await verified('批量立案测试二')];
    const { page, context, problems } = await openPage(browser, server.url);
    try {
      await login(page, 'shiftlead');
      await page.goto('/shift?queue=file');
      const rows = page.getByTestId('case-table').locator('tbody tr.ant-table-row');
      const mine = rows.filter({ hasText: '热线' });
      await mine.nth(1).waitFor();
      // The source column is there in a queue too.
      await expect(mine.first().textContent()).resolves.toContain('12345 热线');
      for (const id of ids) {
        const number = (await getCase(id)).number as string;
        await page.locator(`tr[data-case-number="${number}"] .ant-checkbox-input`).check();
      }
      await expect(page.getByTestId('batch-file').textContent()).resolves.toContain('（2）');
      await page.getByTestId('batch-file').click();
      await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
      await page.getByTestId('batch-result').getByText('成功 2 件，未成功 0 件').waitFor();
      await screenshot(page, 'queue-batch-file');
      for (const id of ids) expect((await getCase(id)).state).toBe('filed');
      expect(new URL(page.url()).pathname).toBe('/shift');
      await page.getByRole('button', { name: '关 闭' }).click();

      // Someone else verifies a report: it arrives in 待立案 with an alert, no reload.
      await page.getByText('实时推送').waitFor({ timeout: 20_000 });
      const pushed = await verified('推送的新任务');
      const number = (await getCase(pushed)).number as string;
      const alert = page.locator('.ant-notification-notice', { hasText: number });
      await alert.getByText('新任务').waitFor({ timeout: 20_000 });
      await page.locator(`tr[data-case-number="${number}"]`).waitFor({ timeout: 20_000 });
      await screenshot(page, 'queue-new-task-alert');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('dispatches from the row in the case page’s form and stays on the queue', async () => {
    const id = await verified('快捷派遣测试');
    await apiAct('shiftlead', id, 'file');
    const number = (await getCase(id)).number as string;
    const { page, context, problems } = await openPage(browser, server.url);
    try {
      await login(page, 'dispatcher');
      await page.goto('/dispatch?queue=dispatch');
      const row = page.locator(`tr[data-case-number="${number}"]`);
      await row.getByTestId('quick-action').click();
      const form = page.getByTestId('action-form-dispatch');
      await form.waitFor();
      // The suggested department is preselected, as on the case page.
      await form
        .getByTestId('dispatch-suggestions')
        .locator('input[type=radio]:checked')
        .waitFor({ timeout: 15_000 });
      await screenshot(page, 'queue-quick-dispatch');
      await page.getByTestId('action-submit').click();
      await form.waitFor({ state: 'detached' });
      await row.waitFor({ state: 'detached', timeout: 20_000 });
      expect(new URL(page.url()).pathname).toBe('/dispatch');
      expect((await getCase(id)).state).toBe('dispatched');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
