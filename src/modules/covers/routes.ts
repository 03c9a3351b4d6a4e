import type { FastifyRequest } from 'fastify';
import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { coverDashboard, coverMap } from './dashboard.js';
import { declareException, getFlow, listFlows, recordStep, startFlow } from './flows.js';
import { createPlan, generateTasks, listPlans, listTasks, recordResult } from './inspections.js';
import {
  createCover,
  getCover,
  getLimits,
  importCovers,
  listCovers,
  setLimits,
  updateCover,
} from './register.js';
import {
  coverBody,
  coverImportBody,
  coverListQuery,
  coverParams,
  coverPatchBody,
  dashboardQuery,
  exceptionBody,
  flowListQuery,
  flowParams,
  flowStartBody,
  generateBody,
  limitsBody,
  mapQuery,
  planBody,
  resultBody,
  stepBody,
  stepParams,
  taskListQuery,
  taskParams,
} from './schema.js';

/** HTTP routes of the 井盖专项: register, limits, emergency flows, dashboard and map. */
export async function coverRoutes(app: ApiApp, { store }: Deps): Promise<void> {
  const tags = ['covers'];
  const ctx = (r: FastifyRequest) => ctxOf(store.db, r);

  app.get(
    '/covers',
    {
      schema: {
        tags,
        summary: 'The cover register in my scope, with each cover state (paged, with the total)',
        querystring: coverListQuery,
      },
    },
    (r) => listCovers(ctx(r), r.query),
  );
  app.get(
    '/covers/dashboard',
    {
      schema: {
        tags,
        summary: 'Cover type × owner: open, overdue, average repair time, repeat covers',
        querystring: dashboardQuery,
      },
    },
    (r) => coverDashboard(ctx(r), r.query),
  );
  app.get(
    '/covers/map',
    { schema: { tags, summary: 'Covers as GeoJSON points coloured by state', querystring: mapQuery } },
    (r) => coverMap(ctx(r), r.query),
  );
  app.get('/covers/limits', { schema: { tags, summary: 'The cover limits in force' } }, (r) =>
    getLimits(ctx(r)),
  );
  app.put(
    '/covers/limits',
    {
      schema: {
        tags,
        summary: 'New cover limits (administrators); running flows keep theirs',
        body: limitsBody,
      },
    },
    (r) => setLimits(ctx(r), r.body),
  );
  app.post(
    '/covers/import',
    {
      schema: {
        tags,
        summary: 'Register the components of the 井盖 classes not yet covers (administrators)',
        body: coverImportBody,
      },
    },
    (r) => importCovers(ctx(r), r.body),
  );
  app.get(
    '/covers/flows',
    {
      schema: {
        tags,
        summary: 'Cover emergency flows in my scope (overdue ones)',
        querystring: flowListQuery,
      },
    },
    (r) => listFlows(ctx(r), r.query),
  );
  app.post(
    '/covers/flows',
    { schema: { tags, summary: 'Start the emergency flow of a cover case', body: flowStartBody } },
    async (r, reply) => reply.status(201).send(await startFlow(ctx(r), r.body)),
  );
  app.get(
    '/covers/flows/:caseId',
    { schema: { tags, summary: 'The emergency flow of a case: steps, limits, overdue', params: flowParams } },
    (r) => getFlow(ctx(r), r.params.caseId),
  );
  app.post(
    '/covers/flows/:caseId/steps/:step',
    {
      schema: {
        tags,
        summary: 'Record a step (barrier, temporary_cover, repair: owner; check: supervisor) with photos',
        params: stepParams,
        body: stepBody,
      },
    },
    (r) => recordStep(ctx(r), r.params.caseId, r.params.step, r.body),
  );
  app.post(
    '/covers/flows/:caseId/exception',
    {
      schema: {
        tags,
        summary: 'Take the 36 h exception, with its reason (owner)',
        params: flowParams,
        body: exceptionBody,
      },
    },
    (r) => declareException(ctx(r), r.params.caseId, r.body.reason),
  );
  app.get('/covers/inspections/plans', { schema: { tags, summary: 'Inspection plans by road class' } }, (r) =>
    listPlans(ctx(r)),
  );
  app.post(
    '/covers/inspections/plans',
    { schema: { tags, summary: 'A new inspection plan (administrators)', body: planBody } },
    async (r, reply) => reply.status(201).send(await createPlan(ctx(r), r.body)),
  );
  app.post(
    '/covers/inspections/generate',
    {
      schema: {
        tags,
        summary: "Make a day's supervisor tasks from the plans (before / after a storm: the storm checks)",
        body: generateBody,
      },
    },
    (r) => generateTasks(ctx(r), r.body),
  );
  app.get(
    '/covers/inspections/tasks',
    {
      schema: {
        tags,
        summary: 'Inspection tasks (a supervisor: his own) with each cover result',
        querystring: taskListQuery,
      },
    },
    (r) => listTasks(ctx(r), r.query),
  );
  app.post(
    '/covers/inspections/tasks/:taskId/results',
    {
      schema: {
        tags,
        summary: 'Record the result of one cover (the task supervisor)',
        params: taskParams,
        body: resultBody,
      },
    },
    (r) => recordResult(ctx(r), r.params.taskId, r.body),
  );
  app.get('/covers/:componentId', { schema: { tags, summary: 'One cover', params: coverParams } }, (r) =>
    getCover(ctx(r), r.params.componentId),
  );
  app.post(
    '/covers',
    { schema: { tags, summary: 'Register a cover on a component (administrators)', body: coverBody } },
    async (r, reply) => reply.status(201).send(await createCover(ctx(r), r.body)),
  );
  app.patch(
    '/covers/:componentId',
    {
      schema: { tags, summary: 'Change a cover (administrators)', params: coverParams, body: coverPatchBody },
    },
    (r) => updateCover(ctx(r), r.params.componentId, r.body),
  );
}
