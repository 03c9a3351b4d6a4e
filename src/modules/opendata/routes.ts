import type { ApiApp, Deps } from '../../platform/http/types.js';
import { downloadParams, downloadQuery } from './schema.js';
import { openDataService } from './service.js';

/** HTTP routes of open data (开放数据): public, no login. */
export async function openDataRoutes(app: ApiApp, { store }: Deps): Promise<void> {
  const tags = ['open-data'];
  const service = openDataService(store.db);
  app.get(
    '/open-data',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'Open data catalogue: datasets, months available with their case counts, formats, licence (CC BY 4.0) and refresh (daily, to the end of yesterday)',
      },
    },
    async () => service.catalogue(),
  );
  app.get(
    '/open-data/dictionary',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Data dictionary of the open case dataset, its anonymisation rules and licence',
      },
    },
    async () => service.dictionary(),
  );
  app.get(
    '/open-data/cases.:format',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          "One month of the anonymised case dataset as CSV (UTF-8 with BOM), GeoJSON or JSON: filed cases reported in the local month up to the end of yesterday; no personal data or free text; sensitive categories' locations coarsened",
        params: downloadParams,
        querystring: downloadQuery,
      },
    },
    async (request, reply) => {
      const { format } = request.params;
      const { month } = request.query;
      const file = await service.download(month, format);
      const ext = format === 'geojson' ? 'geojson' : format;
      reply.header('content-disposition', `attachment; filename="cityloop-cases-${month}.${ext}"`);
      reply.header('cache-control', 'public, max-age=3600');
      reply.header('x-record-count', String(file.rows));
      return reply.type(file.type).send(file.body);
    },
  );
}
