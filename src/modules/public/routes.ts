import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { ctxOf, metaOf } from '../../platform/http/auth-hook.js';
import { DEVICE_ID } from '../../platform/http/idempotency.js';
import { bigIdParam } from '../../platform/http/ids.js';
import { requestDb } from '../../platform/http/request-db.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { reverseQuery } from '../geocode/schema.js';
import { encoderFor } from '../map/encode.js';
import { sendTile } from '../map/routes.js';
import { tileParams } from '../map/schema.js';
import { publicTile } from '../map/service.js';
import { acceptImageBodies } from '../media/routes.js';
import { readPublicMedia, storeCitizenMedia } from '../media/service.js';
import { CITIZEN_CATEGORIES } from './categories.js';
import { listPublicCases, publicMap, publicStats } from './listing.js';
import { decideModeration, listModeration } from './moderation.js';
import { sendPhoneCode } from './phone.js';
import { publicPlace } from './place.js';
import { portalCtx } from './portal.js';
import { hitRateLimits } from './ratelimit.js';
import { createPublicReport, rateReport, trackReport } from './reports.js';
import {
  listQuery,
  mapQuery,
  moderationDecision,
  moderationQuery,
  ratingBody,
  reportBody,
  statsQuery,
  trackingCode,
  verifyPhoneBody,
} from './schema.js';

/** Phones resize photos before upload; a citizen's photo needs no more than this. */
export const PUBLIC_MEDIA_MAX_BYTES = 5 * 1024 * 1024;

function deviceOf(request: FastifyRequest): string | null {
  const given = request.headers['x-device-id'];
  if (given === undefined) return null;
  if (typeof given !== 'string' || !DEVICE_ID.test(given)) throw new AppError('PUBLIC_DEVICE_ID_INVALID');
  return given;
}

/** Citizen portal (公众参与) under /api/v1/public; everything but moderation needs no login. */
export async function publicRoutes(app: ApiApp, { store, config }: Deps): Promise<void> {
  const db = store.db;
  const settings = config.publicPortal;
  const tags = ['public'];
  const open = { public: true } as const;

  /** Rate limits of the public writes, per address and per device; 429 carries Retry-After. */
  const limited = async (request: FastifyRequest, reply: { header(k: string, v: string): unknown }) => {
    const device = deviceOf(request);
    const buckets = [{ bucket: `ip:${request.ip}`, limit: settings.ratePerIp }];
    if (device) buckets.push({ bucket: `dev:${device}`, limit: settings.ratePerDevice });
    try {
      await hitRateLimits(db, buckets, settings.rateWindowSeconds);
    } catch (err) {
      if (err instanceof AppError && err.code === 'RATE_LIMITED') {
        reply.header('retry-after', String((err.details as { retryAfter: number }).retryAfter));
      }
      throw err;
    }
  };
  const origin = (request: FastifyRequest) => ({ deviceId: deviceOf(request), ip: request.ip ?? null });

  app.get(
    '/public/categories',
    { config: open, schema: { tags, summary: 'Problem categories a citizen picks from' } },
    async () => ({
      items: Object.entries(CITIZEN_CATEGORIES).map(([key, c]) => ({
        key,
        kind: c.kind,
        zh: c.zh,
        en: c.en,
      })),
      phoneVerification: settings.phoneVerify,
    }),
  );

  await app.register(async (scope: ApiApp) => {
    acceptImageBodies(scope, PUBLIC_MEDIA_MAX_BYTES);
    scope.post(
      '/public/media',
      {
        config: open,
        bodyLimit: PUBLIC_MEDIA_MAX_BYTES,
        preHandler: limited,
        schema: {
          tags,
          summary:
            'Upload a photo without login (raw JPEG/PNG/WebP ≤ 5 MB); EXIF/GPS and other metadata are removed',
        },
      },
      async (request, reply) => {
        if (!Buffer.isBuffer(request.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
        const stored = await storeCitizenMedia(
          () => portalCtx(requestDb(request, db), metaOf(request)),
          config.dataDir,
          request.headers['content-type'] ?? '',
          request.body,
          origin(request),
        );
        return reply.status(201).send(stored);
      },
    );
  });
  app.get(
    '/public/media/:sha256',
    {
      config: open,
      schema: {
        tags,
        summary: 'A photo cleared for the public (metadata removed)',
        params: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
      },
    },
    async (request, reply) => {
      const media = await readPublicMedia(db, config.dataDir, request.params.sha256);
      return reply
        .header('content-type', media.contentType)
        .header('cache-control', 'public, max-age=86400')
        .header('x-content-type-options', 'nosniff')
        .send(media.body);
    },
  );

  const encode = encoderFor(store.kind);
  app.get(
    '/public/map/tiles/:layer/:z/:x/:y.mvt',
    {
      config: open,
      schema: {
        tags,
        summary:
          "Vector tile (MVT) of the citizens' map: boundaries (districts, streets, communities), their labels, and the base map (roads, places, areas)",
        params: tileParams,
      },
    },
    async (request, reply) => {
      const inm = request.headers['if-none-match'];
      const result = await publicTile(db, encode, {
        ...request.params,
        ifNoneMatch: typeof inm === 'string' ? inm : undefined,
      });
      // The same for everyone: shared caches may keep them.
      return sendTile(reply, result, 'public');
    },
  );

  app.post(
    '/public/reports',
    {
      config: open,
      preHandler: limited,
      schema: {
        tags,
        summary: 'Report a problem without an account; answers a tracking code (查询码)',
        body: reportBody,
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createPublicReport(
            requestDb(request, db),
            metaOf(request),
            settings,
            request.body,
            origin(request),
          ),
        ),
  );
  const codeParams = z.strictObject({ trackingCode });
  app.get(
    '/public/reports/:trackingCode',
    {
      config: open,
      schema: { tags, summary: 'Status and public timeline of my report', params: codeParams },
    },
    async (request) => trackReport(db, request.params.trackingCode),
  );
  app.post(
    '/public/reports/:trackingCode/rating',
    {
      config: open,
      preHandler: limited,
      schema: {
        tags,
        summary: 'Rate the result once the report is closed (满意度), with an optional comment',
        params: codeParams,
        body: ratingBody,
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await rateReport(
            requestDb(request, db),
            metaOf(request),
            request.params.trackingCode,
            request.body,
          ),
        ),
  );
  app.post(
    '/public/verify-phone',
    {
      config: open,
      preHandler: limited,
      schema: {
        tags,
        summary: 'Send a 6-digit code to a phone (only with PUBLIC_PHONE_VERIFY=true)',
        body: verifyPhoneBody,
      },
    },
    async (request, reply) => {
      if (!settings.phoneVerify) throw new AppError('PUBLIC_PHONE_VERIFY_DISABLED');
      return reply
        .status(201)
        .send(await sendPhoneCode(requestDb(request, db), request.body.phone, request.log));
    },
  );

  app.get(
    '/public/place',
    {
      config: open,
      schema: {
        tags,
        summary:
          'The address of a point in words (district, street, community, nearest door or road) for the report form',
        querystring: reverseQuery,
      },
    },
    async (request) => publicPlace(requestDb(request, db), request.query),
  );
  app.get(
    '/public/cases',
    {
      config: open,
      schema: { tags, summary: 'Filed cases, newest first, without personal data', querystring: listQuery },
    },
    async (request) => listPublicCases(db, request.query),
  );
  app.get(
    '/public/map.geojson',
    {
      config: open,
      schema: {
        tags,
        summary: 'Filed cases in a bbox as GeoJSON points (rounded ~10 m)',
        querystring: mapQuery,
      },
    },
    async (request, reply) =>
      reply.header('content-type', 'application/geo+json; charset=utf-8').send(
        JSON.stringify(
          await publicMap(db, {
            bbox: request.query.bbox as [number, number, number, number],
            limit: request.query.limit,
          }),
        ),
      ),
  );
  app.get(
    '/public/stats',
    {
      config: open,
      schema: {
        tags,
        summary: 'Published statistics: counts, close and on-time rates, satisfaction',
        querystring: statsQuery,
      },
    },
    async (request) => publicStats(db, request.query),
  );

  app.get(
    '/public/moderation',
    {
      schema: {
        tags,
        summary: 'Citizen text waiting for moderation (flagged first)',
        querystring: moderationQuery,
      },
    },
    async (request) => listModeration(ctxOf(db, request), request.query),
  );
  app.post(
    '/public/moderation/:id',
    {
      schema: {
        tags,
        summary: 'Approve or reject a citizen text; approving a description may publish its photos',
        params: z.strictObject({
          id: bigIdParam,
        }),
        body: moderationDecision,
      },
    },
    async (request) => decideModeration(ctxOf(db, request), request.params.id, request.body),
  );
}
