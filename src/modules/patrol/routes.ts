import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { dutyBody, latestQuery, positionsBody, trackQuery } from './schema.js';
import { latest, myDuty, setDuty, track, uploadPositions } from './service.js';

/** HTTP routes of the patrol module (registered under /api/v1 in platform/http/app.ts). */
export async function patrolRoutes(app: ApiApp, deps: Deps): Promise<void> {
  const { store } = deps;
  const tags = ['patrol'];
  app.get(
    '/patrol/duty',
    { schema: { tags, summary: 'My duty state (supervisors): on duty or not, the open shift' } },
    async (request) => myDuty(ctxOf(store.db, request)),
  );
  app.post(
    '/patrol/duty',
    {
      schema: {
        tags,
        summary: 'Go on duty (上岗, 201; 200 with the open shift if already on) or off duty (下岗)',
        body: dutyBody,
      },
    },
    async (request, reply) => {
      const { created, ...state } = await setDuty(ctxOf(store.db, request), request.body.on);
      return reply.status(created ? 201 : 200).send(state);
    },
  );
  app.post(
    '/patrol/positions',
    {
      schema: {
        tags,
        summary:
          'Upload 1–500 GPS fixes (WGS84, GCJ-02 or BD-09) taken during my duty shifts; re-sent fixes are stored once',
        body: positionsBody,
      },
    },
    async (request) => uploadPositions(ctxOf(store.db, request), request.body.positions),
  );
  app.get(
    '/patrol/positions/latest',
    {
      schema: {
        tags,
        summary: 'Last position of every supervisor in my scope, with duty state and grid (command map)',
        querystring: latestQuery,
      },
    },
    async (request) => latest(ctxOf(store.db, request), request.query),
  );
  app.get(
    '/patrol/tracks',
    {
      schema: {
        tags,
        summary: "One supervisor's track over a time range (default the last 24 h, at most 7 days)",
        querystring: trackQuery,
      },
    },
    async (request) => track(ctxOf(store.db, request), request.query),
  );
}
