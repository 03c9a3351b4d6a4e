/**
 * The job API (/api/v1/jobs): a job is its asker's (and, to help them, an administrator's).
 * Another user's job answers 404 (its existence is not revealed); the asker who no longer holds the permission the job needed
 * (a changed role, a narrower API key) gets 403.
 */
import { z } from 'zod';
import type { Permission } from '../../domain/access/permissions.js';
import { type Actor, requirePermission } from '../auth/actor.js';
import { AppError, notFound } from '../errors.js';
import { ctxOf } from '../http/auth-hook.js';
import { queryInt } from '../http/ids.js';
import type { ApiApp, Deps } from '../http/types.js';
import { contentDisposition } from '../http/xlsx-export.js';
import type { JobHead, JobQueue, JobView } from './port.js';

const jobParams = z.strictObject({ id: z.uuid({ error: 'a job id (UUID)' }) });
const listQuery = z.strictObject({
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9_.]{0,63}$/, 'a job kind such as evaluation.results')
    .optional(),
  limit: queryInt(1, 50).default(10),
});

async function ownJob(jobs: JobQueue, actor: Actor, id: string): Promise<JobHead> {
  const head = await jobs.head(id);
  if (!head || (head.ownerId !== actor.userId && actor.role !== 'admin')) throw notFound('job');
  requirePermission(actor, head.permission as Permission);
  return head;
}

const strip = ({ ownerId: _o, permission: _p, ...view }: JobHead): JobView => view;

export async function jobRoutes(app: ApiApp, deps: Deps, jobs: JobQueue): Promise<void> {
  const { store } = deps;
  const tags = ['jobs'];
  app.get(
    '/jobs',
    {
      schema: {
        tags,
        summary: 'My latest background jobs (evaluations, exports), newest first',
        querystring: listQuery,
      },
    },
    async (request) => {
      const { actor } = ctxOf(store.db, request);
      return { items: await jobs.list(actor.userId, request.query.kind, request.query.limit) };
    },
  );
  app.get(
    '/jobs/:id',
    {
      schema: {
        tags,
        summary: 'One of my jobs: state, progress 0–100, message; the result is at /jobs/{id}/result',
        params: jobParams,
      },
    },
    async (request) => strip(await ownJob(jobs, ctxOf(store.db, request).actor, request.params.id)),
  );
  const cancel = async (actor: Actor, id: string) => {
    const head = await ownJob(jobs, actor, id);
    if (head.state !== 'queued' && head.state !== 'running') {
      throw new AppError('JOB_ALREADY_FINISHED', { details: { state: head.state } });
    }
    return (await jobs.cancel(id)) ?? strip(head);
  };
  app.delete(
    '/jobs/:id',
    {
      schema: {
        tags,
        summary: 'Cancel one of my jobs (queued: at once; running: at its next step)',
        params: jobParams,
      },
    },
    async (request) => cancel(ctxOf(store.db, request).actor, request.params.id),
  );
  app.post(
    '/jobs/:id/cancel',
    { schema: { tags, summary: 'Cancel one of my jobs (same as DELETE /jobs/{id})', params: jobParams } },
    async (request) => cancel(ctxOf(store.db, request).actor, request.params.id),
  );
  app.get(
    '/jobs/:id/result',
    {
      schema: {
        tags,
        summary: "A finished job's result: its JSON answer, or its file (an .xlsx export) as a download",
        params: jobParams,
      },
    },
    async (request, reply) => {
      const head = await ownJob(jobs, ctxOf(store.db, request).actor, request.params.id);
      if (head.state !== 'succeeded') {
        throw new AppError('JOB_NOT_FINISHED', { details: { state: head.state } });
      }
      const out = await jobs.outcome(head.id);
      if (!out) throw notFound('job');
      if (out.file) {
        return reply
          .header('content-type', out.file.type)
          .header('content-disposition', contentDisposition(out.file.name, out.file.asciiName))
          .header('cache-control', 'no-store')
          .send(out.file.body);
      }
      return reply.header('cache-control', 'no-store').send(out.result);
    },
  );
}
