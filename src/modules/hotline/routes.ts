/**
 * 12345 hotline routes (under /api/v1/hotline). `inbound/…`: called by the hotline with its
 * system's API key; `orders/…`: the centre's console; `systems`, `outbox`: administrators.
 */
import type { FastifyRequest } from 'fastify';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, ModuleDeps } from '../../platform/http/types.js';
import {
  deliverNow,
  getLimitRules,
  listSystems,
  pendingCalls,
  replaceLimitRules,
  saveSystem,
} from './admin.js';
import { type HotlineDeps, receiveWorkOrder } from './intake.js';
import {
  askExtension,
  decideExtension,
  getOrder,
  listOrders,
  receiveVisit,
  replyOrder,
  returnOrder,
  signOrder,
} from './orders.js';
import { OutboxSender } from './outbox.js';
import {
  extensionBody,
  extensionDecisionBody,
  limitRulesBody,
  orderIdParams,
  orderNoParams,
  ordersQuery,
  replyBody,
  returnBody,
  systemBody,
  visitBody,
  workOrderBody,
} from './schema.js';

/** Inline attachments (base64 images) make a work order larger than the API's usual body. */
const ORDER_BODY_LIMIT = 40 * 1024 * 1024;

export async function hotlineRoutes(app: ApiApp, deps: ModuleDeps): Promise<void> {
  const { store, config } = deps;
  const sender = new OutboxSender(store.db, (err) => app.log.error({ err }, '12345 outbox delivery failed'));
  if (config.hotlineOutboxSender) {
    app.addHook('onReady', async () => sender.wake());
    app.addHook('onClose', async () => sender.stop());
  }
  const hotline: HotlineDeps = {
    dataDir: config.dataDir,
    autonomous: store.autonomous,
    outboxWritten: () => {
      if (config.hotlineOutboxSender) sender.wake();
    },
    duplicates: { radiusM: config.duplicateRadiusM, windowHours: config.duplicateWindowHours },
  };
  const ctx = (request: FastifyRequest) => ctxOf(store.db, request);
  const tags = ['hotline'];

  app.post(
    '/hotline/inbound/orders',
    {
      bodyLimit: ORDER_BODY_LIMIT,
      schema: {
        tags,
        summary:
          '12345 → us: a work order (工单); the same 工单编号 again answers the case already filed (200)',
        body: workOrderBody,
      },
    },
    async (request, reply) => {
      const out = await receiveWorkOrder(ctx(request), hotline, request.body);
      return reply.status(out.created ? 201 : 200).send(out);
    },
  );
  app.post(
    '/hotline/inbound/orders/:orderNo/visits',
    {
      schema: {
        tags,
        summary: '12345 → us: the 回访 result; 不满意 on a closed case reopens it (重办)',
        params: orderNoParams,
        body: visitBody,
      },
    },
    async (request) => receiveVisit(ctx(request), hotline, request.params.orderNo, request.body),
  );
  app.post(
    '/hotline/inbound/orders/:orderNo/extension-decision',
    {
      schema: {
        tags,
        summary: "12345 → us: the hotline's answer to our extension request",
        params: orderNoParams,
        body: extensionDecisionBody,
      },
    },
    async (request) => decideExtension(ctx(request), hotline, request.params.orderNo, request.body),
  );

  app.get(
    '/hotline/orders',
    { schema: { tags, summary: 'Work orders received from 12345 (centre)', querystring: ordersQuery } },
    async (request) => listOrders(ctx(request), request.query),
  );
  app.get(
    '/hotline/orders/:id',
    { schema: { tags, summary: 'One work order with its calls to the hotline', params: orderIdParams } },
    async (request) => getOrder(ctx(request), request.params.id),
  );
  app.post(
    '/hotline/orders/:id/sign',
    { schema: { tags, summary: '签收 the work order (sent to the hotline)', params: orderIdParams } },
    async (request) => signOrder(ctx(request), hotline, request.params.id),
  );
  app.post(
    '/hotline/orders/:id/return',
    {
      schema: {
        tags,
        summary: '退单 within the return window, with a reason: the case is not filed (不予立案)',
        params: orderIdParams,
        body: returnBody,
      },
    },
    async (request) => returnOrder(ctx(request), hotline, request.params.id, request.body.reason),
  );
  app.post(
    '/hotline/orders/:id/extension',
    {
      schema: {
        tags,
        summary: 'Ask the hotline for an extension (延期申请)',
        params: orderIdParams,
        body: extensionBody,
      },
    },
    async (request) => askExtension(ctx(request), hotline, request.params.id, request.body),
  );
  app.post(
    '/hotline/orders/:id/reply',
    {
      schema: {
        tags,
        summary: 'Reply 办理结果 and 公开答复内容 once the case is finished',
        params: orderIdParams,
        body: replyBody,
      },
    },
    async (request) => replyOrder(ctx(request), hotline, request.params.id, request.body),
  );

  app.get('/hotline/systems', { schema: { tags, summary: 'Hotline systems (admin)' } }, async (request) =>
    listSystems(ctx(request)),
  );
  app.post(
    '/hotline/systems',
    {
      config: { idempotency: false },
      schema: { tags, summary: 'Register or update a hotline system (admin)', body: systemBody },
    },
    async (request) => saveSystem(ctx(request), request.body),
  );
  app.get(
    '/hotline/systems/:id/limits',
    { schema: { tags, summary: "A hotline system's time-limit rules (admin)", params: orderIdParams } },
    async (request) => getLimitRules(ctx(request), request.params.id),
  );
  app.put(
    '/hotline/systems/:id/limits',
    {
      schema: {
        tags,
        summary: "Replace a hotline system's time-limit rules (admin)",
        params: orderIdParams,
        body: limitRulesBody,
      },
    },
    async (request) => replaceLimitRules(ctx(request), request.params.id, request.body),
  );
  app.get(
    '/hotline/outbox',
    { schema: { tags, summary: 'Calls to the hotline not yet delivered (admin)' } },
    async (request) => pendingCalls(ctx(request)),
  );
  app.post(
    '/hotline/outbox/deliver',
    { schema: { tags, summary: 'Retry every undelivered call now, its backoff waived (admin)' } },
    async (request) => deliverNow(ctx(request)),
  );
}
