/**
 * 指挥大屏 in a real browser at the wall's 1920×1080: nothing scrolls (the document is exactly
 * the viewport), the figures are the API's (live counts, the published rankings, the 30-day
 * trend), and a case reported through the API shows without a reload. A screenshot is kept in
 * test-results/screens/screen-1920.png to be looked at.
 */
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeScheme } from '../../../src/modules/catalog/scheme.js';
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
import { jobAnswer } from '../../helpers/jobs.js';

const DAY = 86_400_000;

describe('big screen (指挥大屏)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let publicationId: number;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
    const now = new Date();
    await seedHistory(server.test.store, {
      from: new Date(now.getTime() - 6 * DAY),
      days: 7,
      seed: 23,
      casesPerDay: 30,
      until: now,
    });
    const leader = await bearer(server.app, 'leader');
    const yesterday = new Date(now.getTime() + 8 * 3600_000 - DAY).toISOString().slice(0, 10);
    const pub = await server.app.inject({
      method: 'POST',
      url: '/api/v1/evaluation/publications',
      headers: leader,
      payload: { title: '昨日综合评价', period: 'day', from: yesterday },
    });
    // Publishing runs as a job: its result names the publication.
    expect(pub.statusCode, pub.body).toBe(202);
    const done = await jobAnswer(server.app, leader, pub);
    expect(done.statusCode, done.body).toBe(200);
    publicationId = done.json().id;
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('fills 1920×1080 without scrolling, says the API figures and follows a new case live', async () => {
    const { page, problems } = await openPage(browser, server.url, {
      viewport: { width: 1920, height: 1080 },
    });
    await login(page, 'leader');
    await page.goto('/screen');
    await page.locator('[data-testid=screen-page][data-feed=live]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=city-map][data-ready=true]').waitFor({ timeout: 60_000 });
    await page.getByTestId('screen-rank-districts').waitFor();
    // No console chrome: the side menu and header of the console are not there.
    expect(await page.getByTestId('user-menu').count()).toBe(0);

    // No scrolling: the document is the viewport, in both directions.
    // Evaluated in the page (a string: this file is compiled without the DOM types).
    const size = await page.evaluate(`({
      sw: document.documentElement.scrollWidth,
      sh: document.documentElement.scrollHeight,
      bw: document.body.scrollWidth,
      bh: document.body.scrollHeight,
      w: window.innerWidth,
      h: window.innerHeight,
    })`);
    expect(size).toEqual({ sw: 1920, sh: 1080, bw: 1920, bh: 1080, w: 1920, h: 1080 });
    // Nothing inside is cut off by an inner scroll box either.
    const scrollers = await page.evaluate(`[...document.querySelectorAll('.screen-page *')]
      .filter((e) => {
        const s = getComputedStyle(e);
        return /(auto|scroll)/.test(s.overflow + s.overflowY + s.overflowX) && e.scrollHeight > e.clientHeight;
      })
      .map((e) => String(e.className))`);
    expect(scrollers).toEqual([]);

    // Figures: the live counts, the published rankings, the alarms.
    const api = async (url: string) => {
      const r = await page.request.get(url);
      expect(r.status()).toBe(200);
      return r.json();
    };
    const counts = await api('/api/v1/live/counts');
    const text = async (id: string) => (await page.getByTestId(id).textContent())?.trim();
    expect(await text('screen-reportedToday')).toBe(String(counts.reportedToday));
    expect(await text('screen-closedToday')).toBe(String(counts.closedToday));
    expect(await text('screen-open')).toBe(String(counts.open));
    expect(await text('screen-overdue')).toBe(String(counts.overdue));
    for (const light of ['green', 'yellow', 'red'])
      expect(await text(`screen-light-${light}`)).toBe(String(counts.byLight[light]));
    expect(counts.reportedToday).toBeGreaterThan(0);
    const pub = await api(`/api/v1/evaluation/publications/${publicationId}?subjectType=district`);
    const districts = pub.tables.district.filter((r: { rank: number | null }) => r.rank !== null).slice(0, 6);
    expect(districts.length).toBeGreaterThan(1);
    const shown = await page.getByTestId('screen-rank-districts').locator('li').allTextContents();
    expect(shown).toEqual(
      districts.map(
        (d: { rank: number; subjectName: string; composite: number; grade: string }) =>
          `${d.rank}. ${d.subjectName}${d.composite.toFixed(1)} ${d.grade}`,
      ),
    );
    const summary = await api('/api/v1/screen/summary');
    expect(summary.days).toHaveLength(30);
    expect(summary.days.reduce((n: number, d: { reported: number }) => n + d.reported, 0)).toBeGreaterThan(
      100,
    );
    expect(await page.getByTestId('screen-alarms').locator('li').count()).toBe(summary.alarms.length);
    await screenshot(page, 'screen-1920');

    // A case reported now shows without a reload.
    const db = server.test.store.db;
    const point = await sql<{ lng: number; lat: number }>`
      SELECT ST_X(ST_PointOnSurface(geom)) AS lng, ST_Y(ST_PointOnSurface(geom)) AS lat
      FROM grids WHERE code LIKE '510104%' AND valid_to IS NULL ORDER BY code LIMIT 1`.execute(db);
    const cat = await sql<{ code: string }>`
      SELECT code FROM categories WHERE scheme = ${activeScheme()} AND kind = 'event' AND level = 'minor'
        AND active ORDER BY code LIMIT 1`.execute(db);
    const intake = await bearer(server.app, 'intake');
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: intake,
      payload: {
        source: 'hotline_12345',
        kind: 'event',
        categoryCode: cat.rows[0]?.code,
        lng: point.rows[0]?.lng,
        lat: point.rows[0]?.lat,
        address: '锦江区大屏测试地址',
        description: '市民来电反映问题（大屏测试）',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    await page
      .locator(`[data-testid=screen-reportedToday]:text-is("${counts.reportedToday + 1}")`)
      .waitFor({ timeout: 20_000 });
    expect(problems).toEqual([]);
  }, 240_000);
});
