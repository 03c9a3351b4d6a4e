import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { cellCases, emergingAnalysis, hotspotAnalysis } from './hotspots.js';
import { cellCasesQuery, emergingQuery, hotspotQuery } from './schema.js';

/** HTTP routes of the analytics module (数据挖掘), under /api/v1/analytics. */
export async function analyticsRoutes(app: ApiApp, { store }: Deps): Promise<void> {
  const tags = ['analytics'];
  app.get(
    '/analytics/hotspots',
    {
      schema: {
        tags,
        summary:
          'Hot spots of the cases reported in [from, to) in my area: counts per H3 hexagon or unit grid, Getis-Ord Gi* z, p and significance bin (±3 = 99 %, ±2 = 95 %, ±1 = 90 %), quartic kernel density at 200/500/1000 m (cases per km²); cells with cases or significance, as a list and as GeoJSON',
        querystring: hotspotQuery,
      },
    },
    async (request) => hotspotAnalysis(ctxOf(store.db, request), request.query),
  );
  app.get(
    '/analytics/hotspots/emerging',
    {
      schema: {
        tags,
        summary:
          'Emerging hot spots over the last `weeks` local weeks (Monday 00:00 +08:00) before `to`: per cell the weekly counts and Gi* z and its class (new, intensifying, persistent, fading, sporadic; Mann-Kendall trend at 95 %)',
        querystring: emergingQuery,
      },
    },
    async (request) => emergingAnalysis(ctxOf(store.db, request), request.query),
  );
  app.get(
    '/analytics/hotspots/cases',
    {
      schema: {
        tags,
        summary: 'The cases behind one cell of a hot-spot analysis (same filters), newest first, paged',
        querystring: cellCasesQuery,
      },
    },
    async (request) => cellCases(ctxOf(store.db, request), request.query),
  );
}
