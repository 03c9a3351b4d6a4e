/**
 * 公众上报审核 in a real browser: a citizen's report waits for moderation; the intake operator
 * finds it (flagged text first), approves one text and rejects another with a reason.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../../src/modules/cases/testkit.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

describe('moderation of citizen text', { timeout: 120_000 }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function report(description: string) {
    const fx = await fixtures(server.test.store);
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/public/reports',
      headers: { 'x-device-id': `device-moderation-${description.length}` },
      payload: {
        category: 'garbage',
        description,
        location: { lng: fx.supervised.lng, lat: fx.supervised.lat, crs: 'wgs84' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  }

  it('lists flagged text first, approves one and rejects one with a reason', async () => {
    await report('小区门口垃圾堆了三天没人清理');
    await report('垃圾没人管，联系我13800138000');
    const { page, context, problems } = await openPage(browser, server.url);
    try {
      await login(page, 'intake');
      await page.locator('.ant-layout-sider .ant-menu-item', { hasText: '公众上报审核' }).click();
      const table = page.getByTestId('moderation-table');
      const rows = table.locator('tbody tr.ant-table-row');
      await rows.nth(1).waitFor();
      // The text with a phone number is flagged and comes first.
      await expect(rows.nth(0).textContent()).resolves.toContain('含手机号');
      await expect(rows.nth(0).textContent()).resolves.toContain('13800138000');
      await screenshot(page, 'moderation-pending');

      await rows.nth(0).getByTestId('moderation-reject').click();
      const confirm = page.getByTestId('moderation-reject-confirm');
      await expect(confirm.isDisabled()).resolves.toBe(true);
      await page.getByTestId('moderation-reason').fill('含个人手机号');
      await confirm.click();
      await page.getByText('已驳回', { exact: true }).first().waitFor();
      await rows.filter({ hasText: '13800138000' }).waitFor({ state: 'detached' });

      await rows.filter({ hasText: '三天没人清理' }).getByTestId('moderation-approve').click();
      await page.getByText('已通过，内容将在公众端显示').waitFor();
      await page.getByText('没有待审核的内容').waitFor();

      await page.getByTestId('moderation-state').getByText('已驳回').click();
      await rows.filter({ hasText: '13800138000' }).getByText('理由：含个人手机号').waitFor();
      await screenshot(page, 'moderation-rejected');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }

    // What the page did is what the portal shows: the approved text only.
    const list = await server.app.inject({ method: 'GET', url: '/api/v1/public/cases?limit=100' });
    expect(list.body).not.toContain('13800138000');
    const states = await server.test.store.db
      .selectFrom('public_moderation')
      .select(['body', 'state', 'reason'])
      .orderBy('id')
      .execute();
    expect(states.slice(-2)).toEqual([
      { body: '小区门口垃圾堆了三天没人清理', state: 'approved', reason: null },
      { body: '垃圾没人管，联系我13800138000', state: 'rejected', reason: '含个人手机号' },
    ]);
  });

  it('is not in the menu of a dispatcher, who may not moderate', async () => {
    const { page, context } = await openPage(browser, server.url);
    try {
      await login(page, 'dispatcher');
      await page.locator('.ant-layout-sider .ant-menu-item').first().waitFor();
      await expect(
        page.locator('.ant-layout-sider .ant-menu-item', { hasText: '公众上报审核' }).count(),
      ).resolves.toBe(0);
    } finally {
      await context.close();
    }
  });
});
