/** Admin API of the outbound channels (webhooks, notifications) and the webhook worker's life. */
import { z } from 'zod';
import { requirePermission } from '../../platform/auth/actor.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import { idParam, queryInt } from '../../platform/http/ids.js';
import type { ApiApp, ModuleDeps } from '../../platform/http/types.js';
import { channelBody, createChannel, listChannels, notifyLog, testChannel } from './channels.js';
import { digestScheduler, runDigests, yesterdayOf } from './digest.js';
import { changeRule, createRule, listRules, ruleBody, ruleDeliveries, rulePatch } from './rules.js';
import {
  changeSubscription,
  createSubscription,
  listDeliveries,
  listSubscriptions,
  redeliver,
  subscriptionBody,
  subscriptionPatch,
} from './webhooks.js';
import { webhookWorker } from './worker.js';

export async function outboundRoutes(app: ApiApp, { store, config }: ModuleDeps): Promise<void> {
  const tags = ['outbound'];
  // Deliveries go out while the app is up, off every request's path.
  const worker = webhookWorker(store.db, {
    pollMs: config.outbound.webhookPollMs,
    baseDelayMs: config.outbound.webhookRetryBaseMs,
    smsGatewayUrl: config.outbound.smsGatewayUrl,
    onError: (err) => app.log.error({ err }, 'webhook delivery pass failed'),
  });
  const sms = config.outbound.smsGatewayUrl;
  const digests = digestScheduler(store.db, sms, (err) => app.log.error({ err }, 'daily digest failed'));
  app.addHook('onReady', async () => {
    worker.start();
    digests.start();
  });
  app.addHook('onClose', async () => {
    digests.stop();
    await worker.stop();
  });

  app.get(
    '/notify/channels',
    { schema: { tags, summary: 'Notification channels (WeCom / DingTalk robots, SMS)' } },
    async (r) => listChannels(ctxOf(store.db, r)),
  );
  app.post(
    '/notify/channels',
    {
      schema: { tags, summary: 'Add a notification channel (a robot URL, or SMS phones)', body: channelBody },
    },
    async (r, reply) => reply.status(201).send(await createChannel(ctxOf(store.db, r), r.body)),
  );
  app.post(
    '/notify/channels/:id/test',
    {
      schema: {
        tags,
        summary: 'Send a test message through a channel',
        params: z.strictObject({ id: idParam }),
      },
    },
    async (r) => testChannel(ctxOf(store.db, r), r.params.id, sms),
  );
  app.get(
    '/notify/log',
    {
      schema: {
        tags,
        summary: 'Messages sent or attempted, newest first',
        querystring: z.strictObject({ limit: queryInt(1, 500).default(100) }),
      },
    },
    async (r) => notifyLog(ctxOf(store.db, r), r.query.limit),
  );
  app.post(
    '/notify/digest',
    {
      schema: {
        tags,
        summary:
          'Send the daily digest for a day now (default: yesterday) to the channels that have not had it',
        body: z.strictObject({ day: z.iso.date().optional() }),
      },
    },
    async (r) => {
      requirePermission(ctxOf(store.db, r).actor, 'apikey.manage');
      return runDigests(store.db, r.body.day ?? yesterdayOf(new Date()), sms);
    },
  );

  app.get(
    '/notify/rules',
    { schema: { tags, summary: 'Notice rules (case events → a robot or SMS) with their delivery counts' } },
    async (r) => listRules(ctxOf(store.db, r)),
  );
  app.post(
    '/notify/rules',
    {
      schema: {
        tags,
        summary:
          'Route case events (filters: event types, districts, category prefixes, urgencies, sources) to a channel and recipients',
        body: ruleBody,
      },
    },
    async (r, reply) => {
      const created = await createRule(ctxOf(store.db, r), r.body);
      worker.wake();
      return reply.status(201).send(created);
    },
  );
  app.patch(
    '/notify/rules/:id',
    {
      schema: {
        tags,
        summary: 'Change or pause a notice rule',
        params: z.strictObject({ id: idParam }),
        body: rulePatch,
      },
    },
    async (r) => {
      const changed = await changeRule(ctxOf(store.db, r), r.params.id, r.body);
      worker.wake();
      return changed;
    },
  );
  app.get(
    '/notify/rules/:id/deliveries',
    {
      schema: {
        tags,
        summary:
          "A notice rule's deliveries in one state (dead: the dead-letter list; redeliver with POST /webhooks/redeliver)",
        params: z.strictObject({ id: idParam }),
        querystring: z.strictObject({
          state: z.enum(['pending', 'delivered', 'dead']).default('dead'),
          limit: queryInt(1, 500).default(100),
        }),
      },
    },
    async (r) => ruleDeliveries(ctxOf(store.db, r), r.params.id, r.query.state, r.query.limit),
  );

  app.get(
    '/webhooks',
    { schema: { tags, summary: 'Webhook subscriptions with their pending and dead counts' } },
    async (r) => listSubscriptions(ctxOf(store.db, r)),
  );
  app.post(
    '/webhooks',
    {
      schema: {
        tags,
        summary:
          'Subscribe a client system to case events (filters: event types, districts, categories); the HMAC secret is answered once',
        body: subscriptionBody,
      },
    },
    async (r, reply) => {
      const created = await createSubscription(ctxOf(store.db, r), r.body);
      worker.wake();
      return reply.status(201).send(created);
    },
  );
  app.patch(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Change or pause a subscription',
        params: z.strictObject({ id: idParam }),
        body: subscriptionPatch,
      },
    },
    async (r) => changeSubscription(ctxOf(store.db, r), r.params.id, r.body),
  );
  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: "A subscription's deliveries in one state (dead: the dead-letter list)",
        params: z.strictObject({ id: idParam }),
        querystring: z.strictObject({
          state: z.enum(['pending', 'delivered', 'dead']).default('dead'),
          limit: queryInt(1, 500).default(100),
        }),
      },
    },
    async (r) => listDeliveries(ctxOf(store.db, r), r.params.id, r.query.state, r.query.limit),
  );
  app.post(
    '/webhooks/redeliver',
    {
      schema: {
        tags,
        summary: 'Send dead-lettered deliveries again',
        body: z.strictObject({
          ids: z
            .array(z.union([z.number().int().positive(), z.string().regex(/^[1-9][0-9]{0,17}$/)]))
            .min(1)
            .max(500),
        }),
      },
    },
    async (r) => {
      const out = await redeliver(
        ctxOf(store.db, r),
        r.body.ids.map((i) => String(i)),
      );
      worker.wake();
      return out;
    },
  );
}
