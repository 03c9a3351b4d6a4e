/**
 * Outsourced information collection (信息采集外包) in a real browser: the administrator adds a
 * company and a team and gives the team two supervisors; a leader ranks the collection companies
 * of last month and drills into 巡查时间覆盖率, whose duty days (a page at a time) are exactly the
 * figure's, with the hours on duty the patrol shifts give.
 */
import { sql } from 'kysely';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedHistory } from '../../../src/seed/history.js';
import { bearer } from '../../helpers/app.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const OFFSET = 8 * HOUR;
const PASSWORD = 'Collect@2026x';

/** Last month in local time (+08:00): its first day, its length, and the instant it ends. */
function lastMonth() {
  const local = new Date(Date.now() + OFFSET);
  const thisMonth = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1);
  const prev = new Date(thisMonth - DAY);
  const first = Date.UTC(prev.getUTCFullYear(), prev.getUTCMonth(), 1);
  return {
    firstDay: new Date(first).toISOString().slice(0, 10),
    /** Local midnight of day 1, as a UTC instant. */
    start: first - OFFSET,
    days: prev.getUTCDate(),
    to: new Date(thisMonth - OFFSET),
  };
}

/** Hours on duty of the n-th evaluated member on a day of the month: 9, 8, 5 or none. */
const hoursOn = (member: number, dayOfMonth: number) => [9, 8, 5, 0][(dayOfMonth + member) % 4] as number;

interface Company {
  code: string;
  name: string;
  contractDailyHours: number;
  teams: Array<{ code: string; name: string; members: Array<{ userId: number; displayName: string }> }>;
}

/** Picks an option of an antd Select by its visible text. */
async function choose(page: Page, select: Locator, text: string) {
  await select.click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text })
    .first()
    .click();
}

const rowOf = (page: Page, table: string, text: string) =>
  page.getByTestId(table).locator('tbody tr', { hasText: text }).first();

describe('outsourced collection console', { timeout: 180_000 }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  let admin: { authorization: string };
  const month = lastMonth();
  /** Supervisors made for the test, by username. */
  const ids = new Map<string, number>();

  const api = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const res = await server.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: admin,
      payload: payload as object,
    });
    if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const companies = async (): Promise<Company[]> => (await api('GET', '/collection/companies')).companies;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
    admin = await bearer(server.app, 'admin');
    const demo = (await api('GET', '/users?role=supervisor')).items as Array<{
      id: number;
      username: string;
      divisionCode: string;
    }>;
    const supervisor = demo.find((u) => u.username === 'supervisor');
    if (!supervisor) throw new Error('no demo supervisor');
    ids.set('supervisor', supervisor.id);
    const made: Array<[string, string]> = [
      ['e2e.collect1', '采集员甲'],
      ['e2e.collect2', '采集员乙'],
      ['e2e.collect3', '采集员丙'],
      ['e2e.collect4', '采集员丁'],
      ['e2e.collect5', '采集员戊'],
      ['e2e.collect6', '采集员己'],
    ];
    for (const [username, displayName] of made) {
      const res = await api('POST', '/users', {
        username,
        displayName,
        role: 'supervisor',
        divisionCode: supervisor.divisionCode,
        password: PASSWORD,
      });
      ids.set(username, res.user.id);
    }
    // The figures below are worked out for the demo supervisor and the test's own supervisors:
    // the other demo supervisors leave their teams.
    await server.test.store.db
      .deleteFrom('collection_team_members')
      .where('user_id', '!=', supervisor.id)
      .execute();
    await seedHistory(server.test.store, {
      from: new Date(month.to.getTime() - 5 * DAY),
      days: 5,
      seed: 11,
      casesPerDay: 40,
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the administrator adds a company and a team and gives the team two supervisors', async () => {
    // 409: the duplicate company code below is refused on purpose.
    const { page, context, problems } = await openPage(browser, server.url, { allowStatuses: [409] });
    await login(page, 'admin');
    await page.getByRole('menuitem', { name: '信息采集外包' }).click();
    await page.waitForURL('**/admin/collection');
    // The demo city's companies are listed.
    await rowOf(page, 'company-table', '锦城信息采集服务有限公司').waitFor();
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300); // the loading veil fades out before the screenshot
    await screenshot(page, 'collection-companies');

    // The form checks the code itself; the server refuses a code already taken, in Chinese.
    await page.getByTestId('action-new-company').click();
    const form = page.getByTestId('company-form');
    await form.getByLabel('编码').fill('x');
    await form.getByLabel('名称').fill('天府城市巡查有限公司');
    await page.getByTestId('company-save').click();
    await form.locator('.ant-form-item-explain-error').first().waitFor();
    await form.getByLabel('编码').fill('JCXC');
    await page.getByTestId('company-save').click();
    await page.locator('.ant-message').getByText('外包公司编码已存在').waitFor();
    await form.getByLabel('编码').fill('TFXC');
    await form.getByLabel('合同巡查时长').fill('6.5');
    await screenshot(page, 'collection-company-form');
    await page.getByTestId('company-save').click();
    const company = rowOf(page, 'company-table', '天府城市巡查有限公司');
    await company.waitFor();
    expect(await company.textContent()).toContain('6.5 小时/天');

    // A team under the new company.
    await company.click();
    await page.getByText('天府城市巡查有限公司 · 作业班组').waitFor();
    await page.getByTestId('action-new-team').click();
    const teamForm = page.getByTestId('team-form');
    await teamForm.getByLabel('编码').fill('TFXC-1');
    await teamForm.getByLabel('名称').fill('天府一组');
    await page.getByTestId('team-save').click();
    const team = rowOf(page, 'team-table', '天府一组');
    await team.waitFor();
    expect(await company.locator('td').nth(3).textContent()).toBe('1');

    // Two supervisors, found by searching their names.
    await team.getByTestId('action-members').click();
    const picker = page.getByTestId('members-select');
    for (const name of ['采集员甲', '采集员乙']) {
      await picker.click();
      await page.keyboard.type(name);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: name }).click();
    }
    // Clicking outside the open list closes it, as a user would before saving.
    await page.getByText('只能选择角色为监督员').click();
    await page.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    await screenshot(page, 'collection-members');
    await page.getByTestId('members-save').click();
    await team.getByTestId('team-members').getByText('采集员乙').waitFor();
    expect(await team.getByTestId('team-members').textContent()).toBe('采集员甲采集员乙');
    await screenshot(page, 'collection-team');
    // The same page in English.
    await page.getByRole('button', { name: 'language' }).click();
    await page.getByText('天府城市巡查有限公司 · teams').waitFor();
    expect(await company.textContent()).toContain('6.5 h/day');
    await expect(page.getByTestId('company-table').locator('thead').textContent()).resolves.toContain(
      'Contract hours',
    );
    await screenshot(page, 'collection-team-en');

    const saved = (await companies()).find((c) => c.code === 'TFXC');
    expect(saved).toMatchObject({ name: '天府城市巡查有限公司', contractDailyHours: 6.5 });
    expect(saved?.teams).toEqual([
      {
        code: 'TFXC-1',
        name: '天府一组',
        members: [
          expect.objectContaining({ userId: ids.get('e2e.collect1'), displayName: '采集员甲' }),
          expect.objectContaining({ userId: ids.get('e2e.collect2'), displayName: '采集员乙' }),
        ],
      },
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a leader ranks the collection companies; 巡查时间覆盖率 drills into the duty days behind it', async () => {
    // Four evaluated members of the first demo company (the demo supervisor's), one of the second.
    const before = await companies();
    const home = before.find((c) =>
      c.teams.some((t) => t.members.some((m) => m.userId === ids.get('supervisor'))),
    );
    const other = before.find((c) => c !== home && c.teams.length > 0);
    if (!home || !other) throw new Error('the demo city has no two collection companies');
    const homeTeam = home.teams.find((t) => t.members.some((m) => m.userId === ids.get('supervisor')));
    const members = ['supervisor', 'e2e.collect3', 'e2e.collect4', 'e2e.collect5'].map(
      (u) => ids.get(u) as number,
    );
    await api('PUT', `/collection/teams/${homeTeam?.code}/members`, { userIds: members });
    await api('PUT', `/collection/teams/${other.teams[0]?.code}/members`, {
      userIds: [ids.get('e2e.collect6')],
    });
    const newcomers = ['e2e.collect3', 'e2e.collect4', 'e2e.collect5', 'e2e.collect6'].map((u) => ids.get(u));
    // The new members patrol grids of the demo supervisor's community: a reader's evaluation
    // counts the members working in its area.
    await sql`
      INSERT INTO supervisor_grids (user_id, grid_code)
      SELECT u.id, g.grid_code FROM unnest(${newcomers}::int[]) AS u(id)
      CROSS JOIN (SELECT grid_code FROM supervisor_grids WHERE user_id = ${ids.get('supervisor')} LIMIT 1) g
      ON CONFLICT DO NOTHING`.execute(server.test.store.db);
    // A shift from 08:00 local every day of last month, its length by member and day.
    const evaluated = [...members, ids.get('e2e.collect6') as number];
    const shifts = evaluated.flatMap((userId, member) =>
      Array.from({ length: month.days }, (_, i) => ({ userId, member, day: i + 1 }))
        .filter((s) => hoursOn(s.member, s.day) > 0)
        .map((s) => {
          const start = month.start + (s.day - 1) * DAY + 8 * HOUR;
          return {
            user_id: s.userId,
            started_at: new Date(start),
            ended_at: new Date(start + hoursOn(s.member, s.day) * HOUR),
          };
        }),
    );
    await server.test.store.db.insertInto('patrol_shifts').values(shifts).execute();
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM patrol_shifts`.execute(
      server.test.store.db,
    );
    expect(stored.rows[0]?.n).toBe(shifts.length);

    const leader = await bearer(server.app, 'leader');
    const res = await server.app.inject({
      url: `/api/v1/evaluation/results?subjectType=collection_company&period=month&from=${month.firstDay}`,
      headers: leader,
    });
    expect(res.statusCode).toBe(200);
    const rows = res.json().rows as Array<{
      subjectId: string;
      subjectName: string;
      rank: number | null;
      indicators: Record<string, { numerator: number; denominator: number }>;
    }>;
    const cell = rows.find((r) => r.subjectId === home.code)?.indicators.patrolCoverageRate;
    if (!cell) throw new Error('no coverage figure for the first company');
    // More duty days than one page of the drawer holds (four members × the month's working days).
    expect(cell.denominator).toBeGreaterThan(50);

    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'leader');
    await page.goto('/evaluation');
    const table = page.getByTestId('results-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    await choose(page, page.getByTestId('subject-type'), '信息采集外包公司');
    await page.getByText(/^信息采集外包公司评价 · /).waitFor();
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(rows.length);
    const first = [...rows].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9))[0];
    expect(await table.locator('tbody tr.ant-table-row').first().textContent()).toContain(first?.subjectName);
    await expect(table.locator('thead').textContent()).resolves.toContain('巡查时间覆盖率');
    // The coverage figure is the last column: scrolled into view, once the bars have grown.
    await page.getByTestId(`cell-${home.code}-patrolCoverageRate-d`).scrollIntoViewIfNeeded();
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1000);
    await screenshot(page, 'collection-ranking');

    // Every scheduled duty day of the company: the figure's denominator, 50 to a page.
    const figure = page.getByTestId(`cell-${home.code}-patrolCoverageRate-d`);
    await expect(figure.getAttribute('data-value')).resolves.toBe(String(cell.denominator));
    await figure.click();
    await page.locator(`[data-testid="drilldown-count"][data-value="${cell.denominator}"]`).waitFor();
    const drawer = page.getByTestId('drilldown-duty-table');
    const dayCells = drawer.getByTestId('drilldown-duty-day');
    await expect.poll(() => dayCells.count()).toBe(50);
    await page.waitForTimeout(500); // the drawer slides in before the screenshot
    await screenshot(page, 'collection-drilldown');
    const read = async () =>
      drawer.locator('tbody tr.ant-table-row').evaluateAll((trs) =>
        trs.map((tr) => {
          const tds = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
          return { name: tds[0], day: tds[1], hours: Number(tds[2]), covered: tds[3]?.includes('✓') };
        }),
      );
    const listed = await read();
    await page.locator('.ant-drawer-body .ant-pagination-item-2').click();
    await expect.poll(() => dayCells.count()).toBe(cell.denominator - 50);
    listed.push(...(await read()));
    // Each day once, each with the hours its shift gave and covered exactly when they reach the contract.
    const names = new Map<string, number>([
      ['王监督', 0],
      ['采集员丙', 1],
      ['采集员丁', 2],
      ['采集员戊', 3],
    ]);
    expect(new Set(listed.map((d) => `${d.name}@${d.day}`)).size).toBe(cell.denominator);
    for (const d of listed) {
      const member = names.get(d.name as string);
      expect(member, d.name).toBeDefined();
      const hours = hoursOn(member as number, Number(d.day?.slice(8)));
      expect(d.hours, `${d.name} ${d.day}`).toBe(hours);
      expect(d.covered, `${d.name} ${d.day}`).toBe(hours >= home.contractDailyHours);
    }
    expect(listed.filter((d) => d.covered).length).toBe(cell.numerator);
    expect(problems).toEqual([]);
    await context.close();
  });
  it('a drill-down longer than a page is read from the server a page at a time', async () => {
    const leader = await bearer(server.app, 'leader');
    // A figure of last month with more cases than one page of the drawer (50).
    let pick: { type: string; subject: string; key: string; n: number } | undefined;
    for (const type of ['district', 'street', 'department']) {
      const res = await server.app.inject({
        url: `/api/v1/evaluation/results?subjectType=${type}&period=month&from=${month.firstDay}`,
        headers: leader,
      });
      const rows = res.json().rows as Array<{
        subjectId: string;
        indicators: Record<string, { kind: string; numerator: number }>;
      }>;
      pick = rows
        .flatMap((r) =>
          Object.entries(r.indicators)
            .filter(([, c]) => c.kind === 'count' && c.numerator > 50)
            .map(([key, c]) => ({ type, subject: r.subjectId, key, n: c.numerator })),
        )
        .sort((a, b) => a.n - b.n)[0];
      if (pick) break;
    }
    if (!pick) throw new Error('no figure of more than 50 cases last month');
    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'leader');
    await page.goto('/evaluation');
    await page.getByTestId('results-table').locator('tbody tr.ant-table-row').first().waitFor();
    const label = { district: '区县', street: '街道', department: '专业部门' }[pick.type] as string;
    if (pick.type !== 'department') await choose(page, page.getByTestId('subject-type'), label);
    await page.getByText(new RegExp(`^${label}评价 · `)).waitFor();
    await page.getByTestId(`cell-${pick.subject}-${pick.key}`).click();
    await page.locator(`[data-testid="drilldown-count"][data-value="${pick.n}"]`).waitFor();
    const links = page.getByTestId('drilldown-case');
    const seen = new Set<string>();
    const pages = Math.ceil(pick.n / 50);
    for (let p = 1; p <= pages; p++) {
      if (p > 1) await page.locator(`.ant-drawer-body .ant-pagination-item-${p}`).click();
      const expected = p < pages ? 50 : pick.n - 50 * (pages - 1);
      // The page's own rows: the first link changes once the server's next page is in.
      await expect
        .poll(
          async () =>
            (await links.count()) === expected && !seen.has((await links.first().textContent()) ?? ''),
        )
        .toBe(true);
      for (const text of await links.allTextContents()) seen.add(text);
    }
    expect(seen.size).toBe(pick.n);
    await screenshot(page, 'collection-case-pages');
    expect(problems).toEqual([]);
    await context.close();
  });
});
