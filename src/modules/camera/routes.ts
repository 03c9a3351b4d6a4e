/**
 * Camera AI routes (under /api/v1/camera): events from video-analysis platforms (their service
 * account's API key) as plain JSON or as GA/T 1400 pushes; the registry, the event mapping and
 * the review queue for the centre.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import { parseJsonBody } from '../../platform/http/input-guard.js';
import type { ApiApp, ModuleDeps } from '../../platform/http/types.js';
import { type CameraDeps, receiveEvents } from './intake.js';
import { listCameras, listMappings, saveCamera, saveMapping } from './registry.js';
import { acceptEvent, rejectEvent, reviewQueue } from './review.js';
import { cameraBody, deviceParams, eventIdParams, eventsBody, mappingBody, reviewQuery } from './schema.js';
import { eventsOfEnvelope, responseStatus, viidStatusOf } from './viid.js';

/** Snapshots ride inline (base64): a batch is larger than the API's usual body. */
const EVENTS_BODY_LIMIT = 64 * 1024 * 1024;

export async function cameraRoutes(app: ApiApp, deps: ModuleDeps): Promise<void> {
  const { store, config } = deps;
  const camera: CameraDeps = {
    dataDir: config.dataDir,
    autonomous: store.autonomous,
    snapshotHosts: config.cameraSnapshotHosts,
  };
  const ctx = (request: FastifyRequest) => ctxOf(store.db, request);
  const tags = ['camera'];

  app.post(
    '/camera/events',
    {
      bodyLimit: EVENTS_BODY_LIMIT,
      schema: {
        tags,
        summary:
          'Video AI events (plain JSON webhook): filed, merged into the open case close by, or queued for review below the threshold',
        body: eventsBody,
      },
    },
    async (request) => receiveEvents(ctx(request), camera, request.body),
  );

  // GA/T 1400: application/VIID+JSON, parsed here only; answered with a ResponseStatus list.
  await app.register(async (viid: ApiApp) => {
    viid.addContentTypeParser(
      'application/viid+json',
      { parseAs: 'string', bodyLimit: EVENTS_BODY_LIMIT },
      (_req, body, done) => {
        try {
          done(null, parseJsonBody(body as string));
        } catch (err) {
          done(err as Error, undefined);
        }
      },
    );
    viid.post(
      '/camera/VIID/SubscribeNotifications',
      {
        bodyLimit: EVENTS_BODY_LIMIT,
        schema: {
          tags,
          summary:
            'GA/T 1400 SubscribeNotifications push (Content-Type application/VIID+JSON); set as the subscription ReceiveAddr',
        },
      },
      async (request, reply) => {
        let ids: string[] = [];
        try {
          const parsed = eventsOfEnvelope(request.body);
          ids = parsed.ids;
          const vendor = (request.query as { vendor?: unknown }).vendor;
          await receiveEvents(ctx(request), camera, {
            ...(typeof vendor === 'string' && /^[a-z0-9_-]{1,40}$/.test(vendor) ? { vendor } : {}),
            events: parsed.events,
          });
          return reply.type('application/VIID+JSON').send(responseStatus(ids, 0, 'OK'));
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          return reply
            .status(err.status)
            .type('application/VIID+JSON')
            .send({
              ...responseStatus(
                ids,
                viidStatusOf(err),
                `${err.code}: ${err.messages.zh} / ${err.messages.en}`,
              ),
              error: {
                code: err.code,
                message: err.messages.en,
                messages: err.messages,
                details: err.details,
              },
            });
        }
      },
    );
  });

  app.get('/camera/cameras', { schema: { tags, summary: 'Camera registry' } }, async (request) =>
    listCameras(ctx(request)),
  );
  app.put(
    '/camera/cameras/:deviceId',
    {
      schema: {
        tags,
        summary: 'Register or change a camera (GB/T 28181 id, position, view, district) (admin)',
        params: deviceParams,
        body: cameraBody,
      },
    },
    async (request) => saveCamera(ctx(request), request.params.deviceId, request.body),
  );
  app.get(
    '/camera/mappings',
    { schema: { tags, summary: 'Event code → category mapping' } },
    async (request) => listMappings(ctx(request)),
  );
  app.put(
    '/camera/mappings',
    {
      schema: {
        tags,
        summary: "Add or change one platform's event code mapping and its confidence threshold (admin)",
        body: mappingBody,
      },
    },
    async (request) => saveMapping(ctx(request), request.body),
  );
  app.get(
    '/camera/review',
    { schema: { tags, summary: 'Events below the threshold, waiting for review', querystring: reviewQuery } },
    async (request) => reviewQueue(ctx(request), request.query),
  );
  app.post(
    '/camera/events/:id/accept',
    {
      schema: { tags, summary: 'Accept a reviewed event: it files (or joins) a case', params: eventIdParams },
    },
    async (request) => acceptEvent(ctx(request), camera, request.params.id),
  );
  app.post(
    '/camera/events/:id/reject',
    { schema: { tags, summary: 'Reject a reviewed event: kept as a false positive', params: eventIdParams } },
    async (request) => rejectEvent(ctx(request), request.params.id),
  );
}
