import { z } from 'zod';
import { requirePermission } from '../../platform/auth/actor.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { xlsxExportRoutes } from '../../platform/http/xlsx-export.js';
import { liveCounts } from './counts.js';
import { DEFAULT_TIMING, LiveHub, type LiveTiming } from './hub.js';

/** HTTP routes of the live module (registered under /api/v1 in platform/http/app.ts). */
export async function liveRoutes(
  app: ApiApp,
  deps: Deps,
  timing: LiveTiming = DEFAULT_TIMING,
): Promise<void> {
  const { store, config } = deps;
  const hub = new LiveHub(store, config.databaseUrl, timing, (err) =>
    app.log.warn({ err }, 'live feed: change source or refresh failed'),
  );
  // Streams never go idle, so `forceCloseConnections: 'idle'` would leave close() waiting on
  // them: end them before the server stops (preClose runs before in-flight requests drain).
  app.addHook('preClose', async () => {
    await hub.close();
  });
  app.addHook('onClose', async () => {
    await hub.close();
  });
  const tags = ['live'];
  app.get(
    '/live/counts',
    {
      schema: {
        tags,
        summary: 'Command view numbers in my scope: open cases by light and status, today, overdue',
        querystring: z.strictObject({}),
      },
    },
    async (request) => liveCounts(ctxOf(store.db, request)),
  );
  app.get(
    '/live/stream',
    {
      schema: {
        tags,
        summary:
          'Server-sent events: `counts` at once and whenever they change (≤ 1/s), `case` {id, number, status, light, action} per visible change, a comment heartbeat every 20 s',
        querystring: z.strictObject({}),
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(store.db, request);
      requirePermission(ctx.actor, 'case.read');
      reply.hijack();
      await hub.open(ctx.actor, request.sessionToken, reply.raw, request.id);
    },
  );
  // The console's generic "save this list as .xlsx" lives with the other console support routes.
  await xlsxExportRoutes(app, deps);
}
