/**
 * 接口与推送 in a real browser: the admin subscribes a receiver to case events, adds a WeCom
 * robot and a notice rule for urgent reports; an urgent case is reported; the webhook shows it
 * delivered, the robot (refusing at first) dead-letters it, and the admin redelivers it from the
 * console once the robot answers again. Receiver and robot are a real local HTTP server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, fixtures, loginAll } from '../../../src/modules/cases/testkit.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

/** /hook answers 204; /cgi-bin/webhook/send answers WeCom's errcode 45009 while `refuse`. */
async function receivers() {
  const hooks: string[] = [];
  const robot: string[] = [];
  const state = { refuse: true };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.url?.startsWith('/hook')) {
        hooks.push(body);
        res.writeHead(204).end();
        return;
      }
      const answer = (errcode: number, errmsg: string) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode, errmsg }));
      if (state.refuse) return answer(45009, 'api freq out of limit');
      robot.push(JSON.parse(body).text.content);
      return answer(0, 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { hooks, robot, state, base, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('接口与推送', { timeout: 240_000 }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  let rx: Awaited<ReturnType<typeof receivers>>;
  beforeAll(async () => {
    rx = await receivers();
    [server, browser] = await Promise.all([
      startConsole({ WEBHOOK_POLL_MS: '25', WEBHOOK_RETRY_BASE_MS: '25', HOTLINE_OUTBOX_SENDER: 'false' }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rx?.stop();
  });

  it('subscribes a webhook, adds a robot rule, shows deliveries and redelivers a dead letter', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    try {
      await login(page, 'admin');
      await page.goto('/admin/channels');
      // The webhook subscription.
      await page.getByRole('tab', { name: 'Webhook 订阅' }).click();
      const hookForm = page.locator('form').filter({ has: page.getByRole('button', { name: '新建订阅' }) });
      await hookForm.getByLabel('名称').fill('区网格平台');
      await hookForm.getByLabel('URL').fill(`${rx.base}/hook`);
      await hookForm.getByLabel(/事件类型/).fill('report');
      await hookForm.getByRole('button', { name: '新建订阅' }).click();
      await page.locator('.ant-modal-confirm-title', { hasText: '签名密钥（只显示这一次）' }).waitFor();
      await page.getByRole('button', { name: /OK|确\s*定|知道了/ }).click();
      await page.getByRole('cell', { name: '区网格平台' }).waitFor();

      // The robot and the rule.
      await page.getByRole('tab', { name: '通知规则' }).click();
      const channelForm = page.getByTestId('channel-form');
      await channelForm.getByLabel('名称').fill('指挥中心企业微信群');
      await channelForm.getByLabel('类型').click();
      await page.locator('.ant-select-item-option', { hasText: '企业微信群机器人' }).click();
      await channelForm.getByLabel('URL').fill(`${rx.base}/cgi-bin/webhook/send?key=k1`);
      await channelForm.getByRole('button', { name: '添加渠道' }).click();
      await page.getByRole('cell', { name: '指挥中心企业微信群' }).waitFor();
      const ruleForm = page.getByTestId('rule-form');
      await ruleForm.getByLabel('名称').fill('紧急案卷上报');
      await ruleForm.getByLabel('渠道').click();
      await page.locator('.ant-select-item-option', { hasText: '指挥中心企业微信群' }).click();
      await ruleForm.getByLabel(/事件类型/).click();
      await page.locator('.ant-select-item-option', { hasText: '(report)' }).click();
      await ruleForm.getByLabel('紧急程度').click();
      await page.locator('.ant-select-item-option', { hasText: '紧急' }).first().click();
      await ruleForm.getByLabel('最多尝试').fill('2');
      await ruleForm.getByRole('button', { name: '新建规则' }).click();
      const ruleRow = page.locator('tr.ant-table-row', { hasText: '紧急案卷上报' });
      await ruleRow.waitFor();

      // An urgent case comes in.
      const tokens = await loginAll(server.app);
      const fx = await fixtures(server.test.store);
      const k = await client(server.app, tokens).report('intake', {
        source: 'public',
        kind: 'event',
        categoryCode: fx.category.code,
        lng: fx.supervised.lng,
        lat: fx.supervised.lat,
        address: '锦江区红星路 1 号',
        description: '路面塌陷，需紧急处置',
        urgency: 'urgent',
      });

      // The robot refused twice: a dead letter.
      await ruleRow.locator('.ant-tag-red', { hasText: '1' }).waitFor();
      await ruleRow.locator('.ant-table-row-expand-icon').click();
      const dead = page.getByTestId(`deliveries-/notify/rules/1/deliveries`);
      await dead.getByRole('cell', { name: k.number }).waitFor();
      await dead.getByText('errcode 45009: api freq out of limit').waitFor();
      await screenshot(page, 'channels-dead-letter');
      rx.state.refuse = false;
      await dead.getByRole('button', { name: /重新投递 \(1\)/ }).click();
      await dead.getByText('已投递').click();
      await dead.getByRole('cell', { name: k.number }).waitFor();
      expect(rx.robot.some((t) => t.includes(k.number))).toBe(true);

      // The webhook delivered it.
      await page.getByRole('tab', { name: 'Webhook 订阅' }).click();
      await page
        .locator('tr.ant-table-row', { hasText: '区网格平台' })
        .locator('.ant-table-row-expand-icon')
        .click();
      await page
        .getByTestId('deliveries-/webhooks/1/deliveries')
        .getByRole('cell', { name: k.number })
        .waitFor();
      await screenshot(page, 'channels-webhook-deliveries');
      expect(rx.hooks.some((b) => b.includes(k.number))).toBe(true);
      await page.getByRole('tab', { name: '通知规则' }).click();
      await screenshot(page, 'channels-rules');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
