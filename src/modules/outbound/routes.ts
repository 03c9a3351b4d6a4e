/** Admin API of the outbound channels (webhooks, notifications) and the webhook worker's life. */
import { z } from 'zod';
import { ctxOf } from '../../platform/http/auth-hook.js';
import { idParam, queryInt } from '../../platform/http/ids.js';
import type { ApiApp, ModuleDeps } from '../../platform/http/types.js';
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
    onError: (err) => app.log.error({ err }, 'webhook delivery pass failed'),
  });
  app.addHook('onReady', async () => worker.start());
  app.addHook('onClose', async () => worker.stop());

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
    async (r, reply) => reply.status(201).send(await createSubscription(ctxOf(store.db, r), r.body)),
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
