/**
 * The case loop in a real browser through the ActionPanel on the case page: every role acts in
 * its own logged-in tab; the state after each step is read back from the API. Plus a rework,
 * an ownership dispute settled on /disputes, and urging (督办) on /urge.
 */
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweep } from '../../../src/modules/cases/sweeper.js';
import { fixtures, PNG } from '../../../src/modules/cases/testkit.js';
import { activeScheme } from '../../../src/modules/catalog/scheme.js';
import { bearer } from '../../helpers/app.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
  type WatchedPage,
} from '../../helpers/browser.js';

/** The case page that hosts the ActionPanel. */
const CASE_PAGE = (id: number) => `/cases/${id}`;
/** Polls wait for what the page loads after the form opens (suggestions, lists). */
const POLL = { timeout: 15_000 };

const USERS = [
  'intake',
  'supervisor',
  'shiftlead',
  'dispatcher',
  'dept',
  'coordinator',
  'leader',
  'admin',
] as const;
type User = (typeof USERS)[number];

describe('work: the action panel drives the case loop', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let tokens: Record<User, { authorization: string }>;
  const tabs = new Map<User, WatchedPage>();
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
  /** A hotline report in the supervisor's grid, as the intake operator takes it (not yet verified). */
  const report = async (description: string) =>
    (
      await call('intake', 'POST', '/api/v1/cases', {
        source: 'hotline_12345',
        kind: 'event',
        categoryCode,
        lng: point.lng,
        lat: point.lat,
        address: '锦江区测试路 1 号',
        description,
      })
    ).id as number;
  const toFiled = async (id: number) => {
    await apiAct('intake', id, 'request_verification');
    await apiAct('supervisor', id, 'verify');
    await apiAct('shiftlead', id, 'file');
  };

  /** Each role's own tab, logged in on first use (spreads the page loads over the run). */
  const tab = async (user: User): Promise<Page> => {
    let t = tabs.get(user);
    if (!t) {
      t = await openPage(browser, server.url);
      tabs.set(user, t);
      await login(t.page, user);
    }
    return t.page;
  };

  /**
   * One action through the panel: open the case page, press the action's button, let `fill`
   * complete the form, screenshot, submit, and wait for the form to close.
   */
  const step = async (
    user: User,
    id: number,
    action: string,
    shot: string,
    fill: (page: Page) => Promise<void> = async () => {},
  ) => {
    const page = await tab(user);
    await page.goto(CASE_PAGE(id));
    await page.getByTestId(`action-${action}`).click();
    const form = page.getByTestId(`action-form-${action}`);
    await form.waitFor();
    await fill(page);
    await screenshot(page, `work-${shot}`);
    await page.getByTestId('action-submit').click();
    if (['close', 'reject', 'void_approve', 'merge'].includes(action))
      await page.getByTestId('confirm-ok').click();
    await form.waitFor({ state: 'detached' });
  };
  const uploadPhoto = async (page: Page, testId = 'photo-upload') => {
    await page
      .getByTestId(testId)
      .locator('input[type=file]')
      .setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId(testId).locator('img[src^="/api/v1/media/"]').first().waitFor();
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
    tokens = Object.fromEntries(
      await Promise.all(USERS.map(async (u) => [u, await bearer(server.app, u)] as const)),
    ) as typeof tokens;
    point = (await fixtures(server.test.store)).supervised;
    // A class the responsibility table gives to 市政设施管理处 (SZ), where the demo `dept` works.
    const cat = await sql<{ code: string }>`
      SELECT c.code FROM categories c JOIN responsibility_rules r ON r.category_id = c.id
      WHERE c.scheme = ${activeScheme()} AND c.kind = 'event' AND c.level = 'minor' AND c.active
        AND r.department_codes[1] = 'SZ'
      ORDER BY c.code LIMIT 1`.execute(server.test.store.db);
    categoryCode = cat.rows[0]?.code ?? '';
    expect(categoryCode).not.toBe('');
  }, 60_000);
  afterAll(async () => {
    for (const t of tabs.values()) await t.context.close();
    await browser?.close();
    await server?.close();
  });

  /** The case of the main loop, shared by its two halves. */
  let loopCase = 0;

  it('runs 受理 → 核实 → 立案 → 派遣 (suggested) → 签收 → 反馈 with after-photos', async () => {
    const id = await report('井盖旁路面破损，约半米见方');
    loopCase = id;
    const state = async () => (await getCase(id)).state as string;

    await step('intake', id, 'request_verification', '01-request-verification');
    expect(await state()).toBe('verifying');
    await step('supervisor', id, 'verify', '02-verify');
    expect(await state()).toBe('pending_filing');
    await step('shiftlead', id, 'file', '03-file');
    expect(await state()).toBe('filed');

    // The suggested department is preselected: the dispatcher only confirms.
    await step('dispatcher', id, 'dispatch', '04-dispatch', async (page) => {
      await expect
        .poll(
          () => page.getByTestId('dispatch-suggestions').locator('input[type=radio]:checked').count(),
          POLL,
        )
        .toBe(1);
      expect(await page.getByTestId('dispatch-suggestions').textContent()).toContain('责任分解表');
    });
    let c = await getCase(id);
    expect([c.state, c.department?.code]).toEqual(['dispatched', 'SZ']);

    await step('dept', id, 'sign', '05-sign');
    expect(await state()).toBe('handling');

    // Feedback needs after-photos: the form refuses without one.
    const dept = await tab('dept');
    await dept.goto(CASE_PAGE(id));
    await dept.getByTestId('action-feedback').click();
    await dept.getByTestId('action-submit').click();
    await dept.getByText('请上传处置后照片').waitFor();
    await screenshot(dept, 'work-06a-feedback-required');
    await dept.keyboard.press('Escape');
    await step('dept', id, 'feedback', '06-feedback', async (page) => {
      await uploadPhoto(page);
      await page.getByTestId('action-reason').fill('已修补路面');
    });
    c = await getCase(id);
    expect(c.state).toBe('handled');
    expect(c.photos.after).toHaveLength(1);
    for (const t of tabs.values()) expect(t.problems).toEqual([]);
  }, 240_000);

  it('checks (返工 once, then 核查通过) and closes: 已结案', async () => {
    const id = loopCase;
    expect(id).toBeGreaterThan(0);
    const state = async () => (await getCase(id)).state as string;
    await step('intake', id, 'request_check', '07-request-check');
    // Rework: a failed check needs a reason and goes back to the same department.
    await step('supervisor', id, 'check_fail', '08-check-fail', async (page) => {
      await page.getByTestId('action-submit').click();
      await page.getByText('请填写理由').waitFor();
      await page.getByTestId('action-reason').fill('修补不平整，需返工');
    });
    let c = await getCase(id);
    expect([c.state, c.department?.code, c.counters.rework]).toEqual(['handling', 'SZ', 1]);

    await step('dept', id, 'feedback', '09-feedback-again', async (page) => uploadPhoto(page));
    await step('intake', id, 'request_check', '10-request-check');
    await step('supervisor', id, 'check_pass', '11-check-pass', async (page) => uploadPhoto(page));
    expect(await state()).toBe('pending_close');
    await step('shiftlead', id, 'close', '12-close');
    c = await getCase(id);
    expect(c.state).toBe('closed');
    expect(c.stateLabel.zh).toBe('已结案');

    // Nothing is left to do on a closed case but a note (备注, allowed on any case) and, for the
    // shift leader, 重办 (reopen with a reason, e.g. after a citizen's dissatisfaction).
    const shiftlead = await tab('shiftlead');
    await shiftlead.goto(CASE_PAGE(id));
    await shiftlead.getByTestId('action-panel').waitFor();
    await shiftlead.getByTestId('action-note').or(shiftlead.getByTestId('no-actions')).waitFor();
    const offered = await shiftlead
      .locator('[data-testid="action-panel"] [data-testid^="action-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(offered.filter((a) => a !== 'action-note')).toEqual(['action-reopen']);
    await screenshot(shiftlead, 'work-13-closed');
    for (const t of tabs.values()) expect(t.problems).toEqual([]);
  }, 240_000);

  it('ownership dispute: sent to the collaboration platform, claimed, settled on /disputes', async () => {
    const id = await report('道路破损，权属不明');
    await toFiled(id);
    await step('dispatcher', id, 'send_to_collaboration', '20-send-to-collaboration', async (page) => {
      // The suggested departments are preselected as candidates.
      await expect
        .poll(() => page.getByTestId('candidates-select').textContent(), POLL)
        .toContain('市政设施管理处');
      await page.getByTestId('action-reason').fill('责任单位不明确，提请协同平台确认');
    });
    expect((await getCase(id)).state).toBe('ownership_dispute');

    await step('dept', id, 'claim', '21-claim', async (page) => {
      await page.getByTestId('action-reason').fill('属我处养护范围');
    });

    const coord = await tab('coordinator');
    await coord.goto('/disputes');
    await expect.poll(() => coord.getByTestId(`claims-${id}`).textContent(), POLL).toContain('认领');
    await coord.getByTestId(`deadline-${id}`).waitFor();
    await screenshot(coord, 'work-22-disputes');
    await coord.getByTestId(`settle-${id}`).click();
    const form = coord.getByTestId('action-form-settle_ownership');
    await form.waitFor();
    await coord.getByTestId('update-responsibility').click();
    await coord.getByTestId('joint-meeting').click();
    await coord.getByLabel('会议日期').click();
    await coord.locator('.ant-picker-today-btn, .ant-picker-now-btn').first().click();
    await coord.getByLabel('会议纪要').fill('联席会议确认由市政设施管理处负责');
    await uploadPhoto(coord, 'minutes-upload');
    await screenshot(coord, 'work-23-settle');
    await coord.getByTestId('action-submit').click();
    await form.waitFor({ state: 'detached' });

    const c = await getCase(id);
    expect([c.state, c.department?.code]).toEqual(['dispatched', 'SZ']);
    const disputes = await call('coordinator', 'GET', `/api/v1/cases/${id}/ownership`);
    expect(disputes.items[0]).toMatchObject({
      status: 'settled',
      decision: { mode: 'joint_meeting', department: { code: 'SZ' } },
    });
    expect(disputes.items[0].decision.responsibilityRuleId).toBeGreaterThan(0);
    await coord.getByTestId(`settle-${id}`).waitFor({ state: 'detached' });
    for (const t of tabs.values()) expect(t.problems).toEqual([]);
  }, 150_000);

  it('urge: a leader urges one red case, then a batch, on /urge', async () => {
    const a = await report('路面塌陷，超期未处置');
    const b = await report('路面破损，超期未派遣');
    await toFiled(a);
    await toFiled(b);
    // The sweeper as it will run weeks from now: both dispatch clocks are overdue (red).
    await sweep(server.test.store, new Date(Date.now() + 60 * 86_400_000));
    expect((await getCase(a)).clock.light).toBe('red');

    const leader = await tab('leader');
    await leader.goto('/urge');
    await leader.getByTestId(`urge-${a}`).click();
    const form = leader.getByTestId('action-form-urge');
    await form.waitFor();
    await leader.getByTestId('action-submit').click();
    await leader.getByText('请填写理由').waitFor();
    await leader.getByTestId('action-reason').fill('请今日内派遣处置');
    await screenshot(leader, 'work-30-urge-one');
    await leader.getByTestId('action-reason').press('Enter');
    await form.waitFor({ state: 'detached' });
    expect((await getCase(a)).counters.urge).toBe(1);

    for (const id of [a, b]) {
      await leader.getByTestId('urge-table').locator(`tr[data-row-key="${id}"] input[type=checkbox]`).check();
    }
    await leader.getByTestId('urge-batch').click();
    await leader.getByTestId('urge-batch-reason').fill('集中督办超期案卷');
    await screenshot(leader, 'work-31-urge-batch');
    await leader.getByTestId('urge-batch-ok').click();
    await expect.poll(async () => (await getCase(b)).counters.urge, POLL).toBe(1);
    expect((await getCase(a)).counters.urge).toBe(2);
    // The case page shows 督办 to the leader too.
    await leader.goto(CASE_PAGE(a));
    await leader.getByTestId('action-urge').waitFor();
    for (const t of tabs.values()) expect(t.problems).toEqual([]);
  }, 150_000);
});
