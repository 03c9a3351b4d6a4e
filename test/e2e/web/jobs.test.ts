/**
 * Issue #12's acceptance: one user opens a cold yearly evaluation while another works through
 * the intake queue. The evaluation runs as a background job; the second user's pages keep
 * answering while it runs (each page they load is checked to have come back while the job was
 * still running); the first sees the progress bar move, then the ranking. The evaluation of the
 * current year is never cached (the year is not over), so it is cold every time.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../../src/modules/cases/testkit.js';
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

describe('a cold yearly evaluation beside intake work', { timeout: 600_000 }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  let year: number;

  beforeAll(async () => {
    // The replay engine in chunks of ten cases: a job of many steps that takes long enough to watch
    // (the facts answer this small year at once; a city's year is what takes time).
    [server, browser] = await Promise.all([
      startConsole({ EVALUATION_JOB_CHUNK: '10', EVALUATION_ENGINE: 'replay' }),
      launchBrowser(),
    ]);
    const local = new Date(Date.now() + 8 * 3_600_000);
    year = local.getUTCFullYear();
    const jan1 = new Date(`${year}-01-01T00:00:00+08:00`);
    const days = Math.max(20, Math.floor((Date.now() - jan1.getTime()) / DAY) - 1);
    await seedHistory(server.test.store, { from: jan1, days, seed: 12, casesPerDay: 3000 / days });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("the intake operator's pages answer while the leader's evaluation runs; the leader sees progress, then the result", async () => {
    const leaderAuth = await bearer(server.app, 'leader');
    const intakeAuth = await bearer(server.app, 'intake');
    // Reports waiting for the intake operator (hotline calls in a supervised grid).
    const fx = await fixtures(server.test.store);
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: intakeAuth,
        payload: {
          source: 'hotline_12345',
          kind: 'event',
          categoryCode: fx.category.code,
          lng: fx.supervised.lng,
          lat: fx.supervised.lat,
          address: `受理测试路 ${i + 1} 号`,
          description: `评价期间受理 ${i + 1}`,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      numbers.push(res.json().number);
    }

    const leader = await openPage(browser, server.url);
    const intake = await openPage(browser, server.url);
    try {
      await Promise.all([login(leader.page, 'leader'), login(intake.page, 'intake')]);
      await intake.page.goto('/intake');
      await intake.page.getByTestId('case-table').locator('tbody tr.ant-table-row').first().waitFor();

      // The leader asks for this year's grid ranking: a cold evaluation of every case of the year.
      await leader.page.goto('/evaluation');
      await leader.page.getByTestId('subject-type').click();
      await leader.page
        .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '网格' })
        .click();
      // This month's grid ranking comes first (the page's default period): small, it finishes.
      await leader.page
        .locator('[data-testid="evaluation-job"][data-state="succeeded"]')
        .waitFor({ timeout: 60_000 });
      await leader.page.getByTestId('period-kind').click();
      await leader.page
        .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: /^年$/ })
        .click();
      const job = leader.page.getByTestId('evaluation-job');
      await leader.page.locator('[data-testid="evaluation-job"][data-state="running"]').waitFor();

      // The job the page started, as the server sees it.
      const mine = await server.app.inject({
        method: 'GET',
        url: '/api/v1/jobs?kind=evaluation.results',
        headers: leaderAuth,
      });
      const yearly = (mine.json().items as Array<{ id: string; state: string }>)[0];
      expect(yearly).toBeDefined();
      const stateOf = async () =>
        (
          await server.app.inject({ method: 'GET', url: `/api/v1/jobs/${yearly?.id}`, headers: leaderAuth })
        ).json().state as string;

      // Meanwhile the intake operator works: the queue, each waiting report's page, the queue again.
      const answeredWhileRunning: string[] = [];
      const seenProgress = new Set<number>();
      const watch = setInterval(() => {
        void job.getAttribute('data-progress').then(
          (p) => p !== null && seenProgress.add(Number(p)),
          () => {},
        );
      }, 50);
      try {
        for (const number of numbers) {
          if ((await stateOf()) !== 'running') break;
          await intake.page.goto('/intake');
          const row = intake.page.locator(`tr[data-case-number="${number}"]`);
          await row.waitFor();
          await row.click();
          await intake.page.getByText(number).first().waitFor();
          await intake.page.getByText(`评价期间受理`).first().waitFor();
          // …and acts on it: 派发核实 (the report goes to a supervisor to verify).
          await intake.page.getByTestId('action-request_verification').click();
          const form = intake.page.getByTestId('action-form-request_verification');
          await form.waitFor();
          await intake.page.getByTestId('action-submit').click();
          await form.waitFor({ state: 'detached' });
          // This page came back while the evaluation was still running.
          if ((await stateOf()) === 'running') answeredWhileRunning.push(number);
        }
        await screenshot(intake.page, 'jobs-intake-during-evaluation');
        await screenshot(leader.page, 'jobs-evaluation-progress');
      } finally {
        clearInterval(watch);
      }
      expect(
        answeredWhileRunning.length,
        'intake pages answered during the evaluation',
      ).toBeGreaterThanOrEqual(2);
      // The intake work was done, not only shown.
      for (const number of answeredWhileRunning) {
        const found = await server.app.inject({
          method: 'GET',
          url: `/api/v1/cases?state=all&q=${encodeURIComponent(number)}`,
          headers: intakeAuth,
        });
        expect(found.json().items[0]?.state).toBe('verifying');
      }

      // The leader saw the bar move, then gets the ranking.
      await leader.page
        .locator('[data-testid="evaluation-job"][data-state="succeeded"]')
        .waitFor({ timeout: 480_000 });
      expect(
        [...seenProgress].some((p) => p > 0 && p < 100),
        `progress seen: ${[...seenProgress]}`,
      ).toBe(true);
      const expected = await server.app.inject({
        method: 'GET',
        url: `/api/v1/jobs/${yearly?.id}/result`,
        headers: leaderAuth,
      });
      const rows = expected.json().rows as Array<{ subjectName: string; rank: number | null }>;
      expect(rows.length).toBeGreaterThan(1);
      const first = [...rows].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9))[0];
      const table = leader.page.getByTestId('results-table');
      await table.locator('tbody tr.ant-table-row').first().waitFor();
      await expect(table.locator('tbody tr.ant-table-row').first().textContent()).resolves.toContain(
        first?.subjectName,
      );
      await screenshot(leader.page, 'jobs-evaluation-done');
      expect(leader.problems).toEqual([]);
      expect(intake.problems).toEqual([]);
    } catch (err) {
      // What each user saw when it went wrong.
      await screenshot(leader.page, 'jobs-failed-leader').catch(() => {});
      await screenshot(intake.page, 'jobs-failed-intake').catch(() => {});
      throw err;
    } finally {
      await leader.context.close();
      await intake.context.close();
    }
  });
});
