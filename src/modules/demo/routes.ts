import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { demoStatus, demoStatusQuery } from './status.js';

/** HTTP routes of the living demo (registered under /api/v1). */
export async function demoRoutes(app: ApiApp, deps: Deps): Promise<void> {
  app.get(
    '/demo/status',
    {
      schema: {
        tags: ['demo'],
        summary:
          'Demo mode: progress of the generated history written in the background, and the live simulation (leaders, admin)',
        querystring: demoStatusQuery,
      },
    },
    async (request) => demoStatus(ctxOf(deps.store.db, request), deps.config.demoSeed),
  );
}
