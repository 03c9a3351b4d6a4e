/**
 * 视频AI待审核 in a real browser: two camera events below their type's threshold wait for the
 * intake operator, who files one as a case and marks the other a false positive, one click each.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerPlatform } from '../../../src/modules/camera/testkit.js';
import { fixtures, loginAll } from '../../../src/modules/cases/testkit.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

describe('camera review queue', { timeout: 180_000 }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startConsole({ HOTLINE_OUTBOX_SENDER: 'false' }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('accepts one event as a case and rejects the other as a false positive', async () => {
    const { app, test } = server;
    const tokens = await loginAll(app);
    const fx = await fixtures(test.store);
    const deviceId = '51010400001320000777';
    const camera = await app.inject({
      method: 'PUT',
      url: `/api/v1/camera/cameras/${deviceId}`,
      headers: tokens.admin,
      payload: {
        name: '春熙路北口',
        lng: fx.supervised.lng,
        lat: fx.supervised.lat,
        view: '朝南',
        districtCode: '510104',
      },
    });
    expect(camera.statusCode, camera.body).toBe(200);
    const mapping = await app.inject({
      method: 'PUT',
      url: '/api/v1/camera/mappings',
      headers: tokens.admin,
      payload: {
        eventCode: '660',
        label: '店外经营',
        category: { kind: 'event', code: fx.category.code },
        minConfidence: 0.8,
      },
    });
    expect(mapping.statusCode, mapping.body).toBe(200);
    const { apiKey } = await registerPlatform(app, tokens);
    const sent = await app.inject({
      method: 'POST',
      url: '/api/v1/camera/events',
      headers: { 'x-api-key': apiKey },
      payload: {
        events: ['A', 'B'].map((id, i) => ({
          eventId: `review-${id}`,
          deviceId,
          eventType: '660',
          occurredAt: new Date(Date.now() - i * 60_000).toISOString(),
          confidence: 0.55,
        })),
      },
    });
    expect(sent.json()).toMatchObject({ review: 2 });

    const { page, context, problems } = await openPage(browser, server.url);
    try {
      await login(page, 'intake');
      await page.locator('.ant-layout-sider .ant-menu-item', { hasText: '视频AI待审核' }).click();
      await page.getByTestId('review-total').getByText('待审核 2 条').waitFor();
      const rows = page.locator('tbody tr.ant-table-row');
      await rows.nth(1).waitFor();
      await expect(rows.nth(0).textContent()).resolves.toContain('55% / 80%');
      await screenshot(page, 'camera-review-queue');
      await rows.nth(0).locator('[data-testid^="accept-"]').click();
      await page.getByText(/已立案（案卷 \d+）/).waitFor();
      await page.getByTestId('review-total').getByText('待审核 1 条').waitFor();
      // (antd spaces a two-character label: 「误 报」; the test id is stable.)
      await rows.nth(0).locator('[data-testid^="reject-"]').click();
      await page.getByText('已标记为误报').waitFor();
      await page.getByText('没有待审核的事件').waitFor();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
    const events = await test.store.db
      .selectFrom('camera_events')
      .select(['event_key', 'status', 'case_id'])
      .where('event_key', 'like', 'review-%')
      .orderBy('event_key')
      .execute();
    expect(events.map((e) => [e.event_key, e.status, e.case_id !== null])).toEqual([
      ['review-A', 'accepted', true],
      ['review-B', 'rejected', false],
    ]);
  });
});
