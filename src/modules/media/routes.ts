import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { MEDIA_MAX_BYTES, MEDIA_TYPES, readMedia, storeMedia } from './service.js';

/** Raw image bodies (image/jpeg, image/png, image/webp) arrive as a Buffer in this scope. */
export function acceptImageBodies(scope: ApiApp, maxBytes: number): void {
  scope.addContentTypeParser(
    [...MEDIA_TYPES],
    { parseAs: 'buffer', bodyLimit: maxBytes },
    (_req, body, done) => done(null, body),
  );
}

/** Photo upload (raw body) and download; registered in its own scope for the image body parser. */
export async function mediaRoutes(app: ApiApp, { store, config }: Deps) {
  await app.register(async (scope: ApiApp) => {
    acceptImageBodies(scope, MEDIA_MAX_BYTES);
    const tags = ['media'];
    scope.post(
      '/media',
      {
        bodyLimit: MEDIA_MAX_BYTES,
        schema: { tags, summary: 'Upload a photo (raw image/jpeg, image/png or image/webp body)' },
      },
      async (request, reply) => {
        const ctx = ctxOf(store.db, request);
        if (!Buffer.isBuffer(request.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
        const out = await storeMedia(
          ctx,
          config.dataDir,
          request.headers['content-type'] ?? '',
          request.body,
        );
        return reply.status(201).send(out);
      },
    );
    scope.get(
      '/media/:sha256',
      {
        schema: {
          tags,
          summary: 'Download a photo',
          params: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
        },
      },
      async (request, reply) => {
        const media = await readMedia(ctxOf(store.db, request), config.dataDir, request.params.sha256);
        return reply
          .header('content-type', media.contentType)
          .header('cache-control', 'private, max-age=86400')
          .header('x-content-type-options', 'nosniff')
          .send(media.body);
      },
    );
  });
}
