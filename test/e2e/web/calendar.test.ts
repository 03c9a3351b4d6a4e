/**
 * Time limits in a real browser: the holiday banner for admins, the import of the State
 * Council's 2027 notice from the calendar page (a bad table first, then the good one), the
 * clock rules, and a 紧急 case's limit on the case page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../../src/domain/component/csv.js';
import { HOLIDAY_TABLE_2027 } from '../../../src/domain/timelimit/fixtures.js';
import { bearer } from '../../helpers/app.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

const csvFile = (name: string, rows: ReadonlyArray<ReadonlyArray<string | null>>) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'holidays-')), name);
  fs.writeFileSync(file, toCsv(rows.map((r) => r.map((c) => c ?? ''))));
  return file;
};

describe('web console: holidays, clock rules and urgency', { timeout: 120_000 }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('warns the admin that 2027 has no holidays, and imports the notice from the calendar page', async () => {
    const { page, context, problems } = await openPage(browser, server.url, { allowStatuses: [400] });
    await login(page, 'admin');
    const banner = page.getByTestId('holiday-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('2027');
    await screenshot(page, 'holiday-banner');

    await page.getByTestId('holiday-banner-action').click();
    await page.waitForURL('**/admin/calendars?**');
    await page.getByTestId('holiday-import-year').waitFor();
    expect(await page.getByTestId('holiday-import-year').textContent()).toContain('2027');

    // A table with a Monday as 调休上班: every problem listed, nothing imported.
    const bad = HOLIDAY_TABLE_2027.map((r) => [...r]);
    (bad[2] as (string | null)[])[0] = '2027-02-22';
    await page
      .getByTestId('holiday-import-file')
      .locator('..')
      .locator('input[type=file]')
      .setInputFiles(csvFile('bad.csv', bad));
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toContain('MAKEUP_NOT_WEEKEND');
    expect(await page.getByTestId('holiday-import-commit').isDisabled()).toBe(true);
    await screenshot(page, 'holiday-import-errors');

    await page
      .getByTestId('holiday-import-file')
      .locator('..')
      .locator('input[type=file]')
      .setInputFiles(csvFile('2027.csv', HOLIDAY_TABLE_2027));
    const checked = page.getByTestId('holiday-import-checked');
    await checked.waitFor();
    expect(await checked.textContent()).toContain('放假 29 天，调休上班 6 天');
    await screenshot(page, 'holiday-import-checked');
    await page.getByTestId('holiday-import-commit').click();
    await page.locator('[data-testid="day-2027-10-01"].cal-holiday').waitFor();
    expect(await page.getByTestId('day-2027-10-09').getAttribute('class')).toContain('cal-makeup');
    expect(await page.getByTestId('year-summary').textContent()).toContain(
      '2027 年：节假日 29 天，调休上班 6 天',
    );
    await screenshot(page, 'holiday-imported');

    const auth = await bearer(server.app, 'admin');
    const cal = (await server.app.inject({ url: '/api/v1/calendars/office', headers: auth })).json();
    expect(cal.holidays).toContain('2027-02-09');
    // In 2026 the only gap was 2027: the banner goes once it is imported.
    const gaps = (
      await server.app.inject({ url: '/api/v1/calendars/coverage/holidays', headers: auth })
    ).json().gaps as Array<{ year: number }>;
    expect(gaps.map((g) => g.year)).not.toContain(2027);
    if (gaps.length === 0) {
      await page.reload();
      await page.getByTestId('calendar-year').waitFor();
      expect(await page.getByTestId('holiday-banner').count()).toBe(0);
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows no banner to a dispatcher', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'dispatcher');
    await page.getByTestId('user-menu').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('holiday-banner').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('edits the clock rules: the department clock from signing, kept in the history', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'admin');
    await page.goto('/admin/calendars');
    const rules = page.getByTestId('clock-rules');
    await rules.waitFor();
    expect(await page.getByTestId('rule-calendar-intake').textContent()).toContain('指挥中心值班时间');
    expect(await page.getByTestId('rule-calendar-handle').textContent()).toContain('办公时间');
    await rules.getByText('自签收起算').click();
    await rules.getByPlaceholder('修改说明').fill('本市部门时限自签收起算');
    await page.getByTestId('rule-save').click();
    await page.getByTestId('rule-history').locator('.ant-list-item').nth(1).waitFor();
    await rules.scrollIntoViewIfNeeded();
    await screenshot(page, 'clock-rules');
    const auth = await bearer(server.app, 'admin');
    const now = (await server.app.inject({ url: '/api/v1/clock-rules', headers: auth })).json();
    expect(now.current.departmentClockFrom).toBe('sign');
    expect(now.history).toHaveLength(2);
    expect(now.history[0]).toMatchObject({ note: '本市部门时限自签收起算', createdBy: { name: '赵管理' } });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows a 紧急 case's own limit, level and calendar on the case page", async () => {
    const { sql } = await import('kysely');
    const r = await sql<{ lng: number; lat: number }>`
      SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat
      FROM grids WHERE code LIKE '510104001%' ORDER BY code LIMIT 1`.execute(server.test.store.db);
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: await bearer(server.app, 'intake'),
      payload: {
        source: 'hotline_12345',
        kind: 'event',
        categoryCode: '0102',
        description: '大量垃圾堆放堵塞人行道',
        address: '锦江区测试地址9号',
        urgency: 'urgent',
        ...r.rows[0],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'intake');
    await page.goto(`/cases/${res.json().id}`);
    await page.getByTestId('case-clock').waitFor();
    expect(await page.getByTestId('clock-urgency').textContent()).toBe('紧急');
    expect(await page.getByTestId('clock-limit').textContent()).toBe('15 分钟 · 按紧急时限');
    await page.getByTestId('clock-calendar').getByText('指挥中心值班时间').waitFor();
    await screenshot(page, 'case-urgent-clock');
    expect(problems).toEqual([]);
    await context.close();
  });
});
