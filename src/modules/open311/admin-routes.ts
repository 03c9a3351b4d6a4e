/** Admin API of the Open311 channel, under /api/v1/open311 (the standard endpoint is /open311/v2). */
import { z } from 'zod';
import { requirePermission } from '../../platform/auth/actor.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import { idParam } from '../../platform/http/ids.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import {
  adminService,
  attributesBody,
  caseUpdates,
  changeClient,
  changeService,
  changeStatus,
  clientBody,
  clientPatch,
  createClient,
  listClients,
  serviceBody,
  setAttributes,
  stateParam,
  statusBody,
  statusMap,
} from './admin.js';
import { listServices } from './services.js';

const codeParam = z.strictObject({ code: z.string().min(1).max(20) });

export async function open311AdminRoutes(app: ApiApp, { store }: Deps): Promise<void> {
  const tags = ['open311'];
  app.get(
    '/open311/clients',
    { schema: { tags, summary: 'Open311 client systems (API key, rate limit)' } },
    async (r) => listClients(ctxOf(store.db, r)),
  );
  app.post(
    '/open311/clients',
    {
      schema: {
        tags,
        summary: 'Register an API key as an Open311 client (administrators)',
        body: clientBody,
      },
    },
    async (r, reply) => reply.status(201).send(await createClient(ctxOf(store.db, r), r.body)),
  );
  app.patch(
    '/open311/clients/:id',
    {
      schema: {
        tags,
        summary: 'Rename a client, change its rate limit, or switch it off',
        params: z.strictObject({ id: idParam }),
        body: clientPatch,
      },
    },
    async (r) => changeClient(ctxOf(store.db, r), r.params.id, r.body),
  );
  app.get(
    '/open311/services',
    { schema: { tags, summary: 'The services Open311 clients see' } },
    async (r) => {
      requirePermission(ctxOf(store.db, r).actor, 'catalog.read');
      return listServices(store.db);
    },
  );
  app.get(
    '/open311/services/:code',
    { schema: { tags, summary: 'A service with its settings and attributes', params: codeParam } },
    async (r) => adminService(ctxOf(store.db, r), r.params.code),
  );
  app.put(
    '/open311/services/:code',
    {
      schema: {
        tags,
        summary: "A service's keywords, description, hidden",
        params: codeParam,
        body: serviceBody,
      },
    },
    async (r) => changeService(ctxOf(store.db, r), r.params.code, r.body),
  );
  app.put(
    '/open311/services/:code/attributes',
    {
      schema: {
        tags,
        summary: "Replace a service definition's attributes (six datatypes; values for lists)",
        params: codeParam,
        body: attributesBody,
      },
    },
    async (r) => setAttributes(ctxOf(store.db, r), r.params.code, r.body),
  );
  app.get(
    '/open311/status-map',
    { schema: { tags, summary: 'Loop state → Open311 status and extended status' } },
    async (r) => statusMap(ctxOf(store.db, r)),
  );
  app.put(
    '/open311/status-map/:state',
    { schema: { tags, summary: "Change one state's Open311 status", params: stateParam, body: statusBody } },
    async (r) => changeStatus(ctxOf(store.db, r), r.params.state, r.body),
  );
  app.get(
    '/open311/cases/:number/updates',
    {
      schema: {
        tags,
        summary: 'Updates Open311 clients posted on a case (servicerequestupdates)',
        params: z.strictObject({ number: z.string().min(1).max(40) }),
      },
    },
    async (r) => caseUpdates(ctxOf(store.db, r), r.params.number),
  );
}
