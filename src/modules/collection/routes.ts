import { ctxOf } from '../../platform/http/auth-hook.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import {
  codeParams,
  createCompanyBody,
  createTeamBody,
  teamMembersBody,
  updateCompanyBody,
  updateTeamBody,
} from './schema.js';
import {
  changeCompany,
  changeTeam,
  createCompany,
  createTeam,
  listCompanies,
  setTeamMembers,
} from './service.js';

/** HTTP routes of the collection module (registered under /api/v1 in platform/http/app.ts). */
export async function collectionRoutes(app: ApiApp, { store }: Deps): Promise<void> {
  const tags = ['collection'];
  app.get(
    '/collection/companies',
    {
      schema: {
        tags,
        summary: 'Outsourced collection companies (信息采集外包) with their teams and member supervisors',
      },
    },
    async (request) => listCompanies(ctxOf(store.db, request)),
  );
  app.post(
    '/collection/companies',
    { schema: { tags, summary: 'Add a collection company (administrators)', body: createCompanyBody } },
    async (request, reply) =>
      reply.status(201).send(await createCompany(ctxOf(store.db, request), request.body)),
  );
  app.patch(
    '/collection/companies/:code',
    {
      schema: {
        tags,
        summary: "Rename a company or change its contract's daily hours (administrators)",
        params: codeParams,
        body: updateCompanyBody,
      },
    },
    async (request) => changeCompany(ctxOf(store.db, request), request.params.code, request.body),
  );
  app.post(
    '/collection/teams',
    { schema: { tags, summary: 'Add a team (作业组) to a company (administrators)', body: createTeamBody } },
    async (request, reply) =>
      reply.status(201).send(await createTeam(ctxOf(store.db, request), request.body)),
  );
  app.patch(
    '/collection/teams/:code',
    {
      schema: {
        tags,
        summary: 'Rename a team or move it to another company (administrators)',
        params: codeParams,
        body: updateTeamBody,
      },
    },
    async (request) => changeTeam(ctxOf(store.db, request), request.params.code, request.body),
  );
  app.put(
    '/collection/teams/:code/members',
    {
      schema: {
        tags,
        summary:
          "Set a team's member supervisors; a supervisor listed leaves his previous team (administrators)",
        params: codeParams,
        body: teamMembersBody,
      },
    },
    async (request) => setTeamMembers(ctxOf(store.db, request), request.params.code, request.body.userIds),
  );
}
