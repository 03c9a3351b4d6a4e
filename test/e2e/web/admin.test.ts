/** The admin console in a real browser: every admin page on the demo city, and the main edits. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../helpers/app.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

/** Picks an option of an antd Select by its visible text. */
async function choose(page: Page, select: Locator, text: string) {
  await select.click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text })
    .first()
    .click();
}

/** Confirms the open Popconfirm. */
async function confirm(page: Page) {
  await page.locator('.ant-popconfirm:visible .ant-popconfirm-buttons .ant-btn-primary').click();
}

async function visit(page: Page, path: string, testId: string) {
  await page.goto(path);
  await page.getByTestId(testId).waitFor();
}

/** The text box of an antd Input.Search (its test id may sit on the input or its wrapper). */
const searchBox = (page: Page, testId: string) =>
  page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();

const rowOf = (page: Page, table: string, text: string) =>
  page.getByTestId(table).locator('tbody tr', { hasText: text }).first();

// Generous per-test limit: the browser runs beside other suites on a shared machine.
describe('admin console', { timeout: 120_000 }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const apiLogin = (username: string, password: string) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password, client: 'app' },
    });

  it('manages users: create with a one-time password, reset it, lock and unlock; the audit log shows it', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'admin');
    // The admin lands on the users page with the demo accounts.
    await page.waitForURL('**/admin/users');
    await rowOf(page, 'user-table', 'intake2').waitFor();
    await screenshot(page, 'admin-users');

    await page.getByTestId('action-new-user').click();
    const form = page.getByTestId('user-form');
    await form.getByLabel('用户名').fill('e2e.intake');
    await form.getByLabel('姓名').fill('测试受理');
    await choose(page, page.getByTestId('user-role'), '受理员');
    await choose(page, page.getByTestId('user-division'), '锦江区');
    await screenshot(page, 'admin-user-create');
    await page.getByTestId('user-save').click();
    const first = (await page.getByTestId('one-time-password').textContent())?.trim() ?? '';
    expect(first.length).toBeGreaterThanOrEqual(8);
    const created = await apiLogin('e2e.intake', first);
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json().user.mustChangePassword).toBe(true);
    await page.getByTestId('one-time-ok').click();

    // Reset: a new one-time password; the first one stops working.
    await searchBox(page, 'filter-text').fill('e2e');
    await searchBox(page, 'filter-text').press('Enter');
    const row = rowOf(page, 'user-table', 'e2e.intake');
    await row.waitFor();
    // The unfiltered first page may hold the row too: wait until the filtered answer is shown.
    await expect.poll(() => page.getByTestId('user-table').locator('tbody tr.ant-table-row').count()).toBe(1);
    await row.getByTestId('action-reset-password').click();
    await confirm(page);
    // The first dialog may still be in the page while it fades out: read the visible one, once
    // the server's answer has replaced its text.
    const shown = page.locator('[data-testid="one-time-password"]:visible').last();
    await expect.poll(async () => (await shown.textContent())?.trim(), { timeout: 15_000 }).not.toBe(first);
    const second = (await shown.textContent())?.trim() ?? '';
    expect(second).toMatch(/\S{10,}/);
    expect((await apiLogin('e2e.intake', first)).statusCode).toBe(401);
    expect((await apiLogin('e2e.intake', second)).statusCode).toBe(200);
    await page.getByTestId('one-time-ok').click();

    // Lock, then unlock.
    await row.getByTestId('action-disable').click();
    await confirm(page);
    await row.getByTestId('state-disabled').waitFor();
    await screenshot(page, 'admin-user-disabled');
    expect((await apiLogin('e2e.intake', second)).statusCode).toBe(403);
    await row.getByTestId('action-enable').click();
    await confirm(page);
    await row.getByTestId('action-disable').waitFor();
    expect((await apiLogin('e2e.intake', second)).statusCode).toBe(200);

    // The audit log has the creation, with the new username in its details.
    await visit(page, '/admin/audit', 'audit-table');
    await searchBox(page, 'filter-action').fill('user.create');
    await searchBox(page, 'filter-action').press('Enter');
    await rowOf(page, 'audit-table', 'e2e.intake').waitFor();
    expect(await page.getByTestId('audit-table').locator('tbody tr.ant-table-row').count()).toBe(1);
    await screenshot(page, 'admin-audit');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('reaches every menu entry by the menu at 1440×900, the last one (审计日志) too, never under the collapse trigger', async () => {
    const { page, context, problems } = await openPage(browser, server.url, {
      viewport: { width: 1440, height: 900 },
    });
    try {
      await login(page, 'admin');
      const entries = page.locator('.ant-layout-sider .ant-menu-item');
      await entries.first().waitFor();
      const last = entries.last();
      await expect(last.textContent()).resolves.toContain('审计日志');
      await last.scrollIntoViewIfNeeded();
      const trigger = await page.locator('.ant-layout-sider-trigger').boundingBox();
      const box = await last.boundingBox();
      if (!trigger || !box) throw new Error('menu or trigger not laid out');
      expect(box.y + box.height).toBeLessThanOrEqual(trigger.y);
      await last.click();
      await page.getByTestId('audit-table').waitFor();
      expect(new URL(page.url()).pathname).toBe('/admin/audit');
      await screenshot(page, 'admin-menu-1440x900');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the organisation, the 134-class catalog, the responsibility table and the reference data', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'admin');

    await visit(page, '/admin/org', 'division-tree');
    for (const name of ['锦江区', '青羊区', '金牛区'])
      await page.getByTestId('division-tree').getByText(name).first().waitFor();
    await rowOf(page, 'department-table', '市政设施管理处').waitFor();
    await screenshot(page, 'admin-org');

    await visit(page, '/admin/standards', 'category-tree');
    await page.getByText('共 134 个小类').waitFor();
    await page.getByPlaceholder('搜索类别').fill('暴露垃圾');
    await page.getByTestId('category-tree').getByText('暴露垃圾').first().click();
    await page.getByTestId('standard-view').waitFor();
    expect(await page.getByTestId('time-limit-table').textContent()).toMatch(/处置/);
    // 核查须拍照: the seeded table asks for check photos for 部件 (上水井盖), not for 暴露垃圾.
    expect(await page.getByTestId('standard-view-check-photos').textContent()).toBe('否');
    await screenshot(page, 'admin-standards');
    await page.getByPlaceholder('搜索类别').fill('上水井盖');
    await page.getByTestId('category-tree').getByText('上水井盖').first().click();
    await page.getByTestId('standard-view-check-photos').getByText('是', { exact: true }).waitFor();

    await visit(page, '/admin/responsibility', 'rule-table');
    await rowOf(page, 'rule-table', '上水井盖').waitFor();
    await screenshot(page, 'admin-responsibility');

    await visit(page, '/admin/components', 'component-table');
    await rowOf(page, 'component-table', '上水井盖').waitFor();
    await screenshot(page, 'admin-components');

    await visit(page, '/admin/gazetteer', 'gazetteer-table');
    await rowOf(page, 'gazetteer-table', '号').waitFor();
    await screenshot(page, 'admin-gazetteer');

    await visit(page, '/admin/grids', 'grid-table');
    await page.getByTestId('grid-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('grid-table').locator('tbody tr.ant-table-row').first().click();
    await page.getByTestId('grid-history').waitFor();
    await screenshot(page, 'admin-grids');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('adds a holiday to the 2026 calendar with its 国庆节', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'admin');
    await visit(page, '/admin/calendars', 'calendar-pick');
    await choose(page, page.getByTestId('year-pick'), '2026');
    const national = page.getByTestId('day-2026-10-01');
    await national.waitFor();
    expect(await national.getAttribute('title')).toBe('国庆节');
    expect(await national.getAttribute('class')).toContain('cal-holiday');
    const day = page.getByTestId('day-2026-11-18');
    expect(await day.getAttribute('class')).not.toContain('cal-holiday');
    await day.click();
    await page.getByTestId('day-form').getByText('节假日').click();
    await page.getByTestId('day-note').fill('城管节');
    await page.getByTestId('day-save').click();
    await page.locator('[data-testid="day-2026-11-18"].cal-holiday').waitFor();
    await screenshot(page, 'admin-calendars');
    const auth = await bearer(server.app, 'admin');
    const cal = (await server.app.inject({ url: '/api/v1/calendars/office', headers: auth })).json();
    expect(cal.holidays).toContain('2026-11-18');
    expect(cal.holidays).toContain('2026-10-01');
    expect(cal.notes['2026-11-18']).toBe('城管节');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('validates an invalid grid file and shows the report without allowing a commit', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'admin');
    await visit(page, '/admin/grids', 'grid-table');
    await page.getByTestId('tab-import').click();
    const square = [
      [104.08, 30.67],
      [104.081, 30.67],
      [104.081, 30.671],
      [104.08, 30.671],
      [104.08, 30.67],
    ];
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'grids-')), 'bad-grids.geojson');
    fs.writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { code: '12' },
            geometry: { type: 'Polygon', coordinates: [square] },
          },
        ],
      }),
    );
    await page.getByTestId('grid-import').locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('grid-problems').waitFor();
    const report = (await page.getByTestId('grid-report').textContent()) ?? '';
    expect(report).toContain('GRID_CODE_FORMAT');
    expect(report).toContain('校验未通过');
    expect(await page.getByTestId('action-commit').isDisabled()).toBe(true);
    await screenshot(page, 'admin-grid-import');
    expect(problems).toEqual([]);
    await context.close();
  });
});
