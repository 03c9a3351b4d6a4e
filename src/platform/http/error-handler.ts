import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode } from '../errors.js';

/** Picks the message language: Chinese unless the client prefers English. */
export function prefersEnglish(request: FastifyRequest): boolean {
  const lang = request.headers['accept-language'];
  return typeof lang === 'string' && /^en\b/i.test(lang.trim());
}

export function errorBody(request: FastifyRequest, err: AppError) {
  return {
    error: {
      code: err.code,
      message: prefersEnglish(request) ? err.messages.en : err.messages.zh,
      messages: err.messages,
      details: err.details ?? null,
      requestId: request.id,
    },
  };
}

// Fastify's own parser and routing errors, mapped onto the catalogue.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

export function toAppError(error: FastifyError): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    return new AppError('VALIDATION_FAILED', {
      details: {
        in: error.validationContext,
        issues: error.validation.map((v) => ({
          path: v.instancePath.replace(/^\//, '').split('/').filter(Boolean),
          message: v.message,
          // The zod issue code ('invalid_type', 'unrecognized_keys', …) travels as the keyword.
          code: v.keyword,
        })),
      },
    });
  }
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (mapped) return new AppError(mapped);
  if (error instanceof SyntaxError && error.statusCode === 400) return new AppError('MALFORMED_JSON');
  if (error.statusCode === 429) return new AppError('RATE_LIMITED');
  if (error.statusCode === 404) return new AppError('ROUTE_NOT_FOUND');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', { details: { reason: error.message } });
  }
  // PostgreSQL refusing a row is a conflict or bad input, not a crash.
  const pgCode = (error as { code?: string }).code;
  if (pgCode === '23505') return new AppError('CONFLICT');
  if (pgCode === '23503' || pgCode === '23514' || pgCode === '22P02') {
    return new AppError('VALIDATION_FAILED', {
      details: { reason: 'constraint', constraint: (error as { constraint?: string }).constraint },
    });
  }
  if (pgCode === '57P01' || pgCode === 'ECONNREFUSED') return new AppError('DATABASE_UNAVAILABLE');
  return new AppError('INTERNAL');
}

export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const err = toAppError(error);
  if (err.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: err.code }, 'request rejected');
  return reply.status(err.status).send(errorBody(request, err));
}
