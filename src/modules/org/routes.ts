import { z } from 'zod';
import { ROLES } from '../../domain/access/permissions.js';
import { ctxOf } from '../../platform/http/auth-hook.js';
import { idParam, queryInt } from '../../platform/http/ids.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { createDepartment, getDepartment, listDepartments, updateDepartment } from './departments.js';
import { createDivision, getDivision, listDivisions } from './divisions.js';
import { createUser, getUser, listUsers, resetPassword, setUserDisabled } from './users.js';

const divisionCode = z.string().regex(/^[0-9]{6}([0-9]{3}){0,2}$/, '6, 9 or 12 digits');
const idParams = z.strictObject({ id: idParam });
const password = z.string().min(1).max(256);

export async function orgRoutes(app: ApiApp, { store }: Deps) {
  const ctx = (r: Parameters<typeof ctxOf>[1]) => ctxOf(store.db, r);

  app.get(
    '/divisions',
    {
      schema: {
        tags: ['org'],
        summary: 'Administrative divisions in my scope',
        querystring: z.strictObject({
          parentCode: divisionCode.optional(),
          level: z.enum(['city', 'district', 'street', 'community']).optional(),
        }),
      },
    },
    async (request) => ({ items: await listDivisions(ctx(request), request.query) }),
  );
  app.get(
    '/divisions/:code',
    {
      schema: {
        tags: ['org'],
        summary: 'One division with its boundary',
        params: z.strictObject({ code: divisionCode }),
      },
    },
    async (request) => getDivision(ctx(request), request.params.code),
  );
  app.post(
    '/divisions',
    {
      schema: {
        tags: ['org'],
        summary: 'Create a division (admin)',
        body: z.strictObject({
          code: divisionCode,
          name: z.string().trim().min(1).max(100),
          parentCode: divisionCode.nullable(),
        }),
      },
    },
    async (request, reply) => reply.status(201).send(await createDivision(ctx(request), request.body)),
  );

  app.get(
    '/departments',
    { schema: { tags: ['org'], summary: 'Departments (专业部门) in my scope' } },
    async (request) => ({
      items: await listDepartments(ctx(request)),
    }),
  );
  app.get('/departments/:id', { schema: { tags: ['org'], params: idParams } }, async (request) =>
    getDepartment(ctx(request), request.params.id),
  );
  app.post(
    '/departments',
    {
      schema: {
        tags: ['org'],
        summary: 'Create a department or sub-unit (admin)',
        body: z.strictObject({
          code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/),
          name: z.string().trim().min(1).max(100),
          parentCode: z.string().max(40).optional(),
          divisionCode,
        }),
      },
    },
    async (request, reply) => reply.status(201).send(await createDepartment(ctx(request), request.body)),
  );
  app.patch(
    '/departments/:id',
    {
      schema: {
        tags: ['org'],
        summary: 'Rename or (de)activate a department (admin)',
        params: idParams,
        body: z
          .strictObject({
            name: z.string().trim().min(1).max(100).optional(),
            active: z.boolean().optional(),
          })
          .refine((b) => b.name !== undefined || b.active !== undefined, 'name or active is required'),
      },
    },
    async (request) => updateDepartment(ctx(request), request.params.id, request.body),
  );

  app.get(
    '/users',
    {
      schema: {
        tags: ['org'],
        summary: 'Users in my scope (phones masked unless admin)',
        querystring: z.strictObject({
          role: z.enum(ROLES).optional(),
          q: z.string().max(40).optional(),
          /** Users of this division and the divisions and departments below it. */
          divisionCode: divisionCode.optional(),
          departmentId: idParam.optional(),
          limit: queryInt(1, 200).default(50),
          offset: queryInt(0).default(0),
        }),
      },
    },
    async (request) => listUsers(ctx(request), request.query),
  );
  app.get('/users/:id', { schema: { tags: ['org'], params: idParams } }, async (request) =>
    getUser(ctx(request), request.params.id),
  );
  app.post(
    '/users',
    {
      // A one-time password may be in the answer, a password in the body: neither is stored.
      config: { idempotency: false },
      schema: {
        tags: ['org'],
        summary:
          'Create a user (admin); without a password a one-time password is returned. `kind: "service"` creates a service account (no login; API keys only)',
        body: z.strictObject({
          username: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/),
          displayName: z.string().trim().min(1).max(60),
          role: z.enum(ROLES),
          divisionCode: divisionCode.optional(),
          departmentCode: z.string().max(40).optional(),
          phone: z
            .string()
            .regex(/^\+?[0-9-]{5,20}$/)
            .optional(),
          password: password.optional(),
          /** `service`: a machine client's account — no password, no login, API keys only. */
          kind: z.enum(['person', 'service']).optional(),
        }),
      },
    },
    async (request, reply) => reply.status(201).send(await createUser(ctx(request), request.body)),
  );
  app.post(
    '/users/:id/reset-password',
    {
      config: { idempotency: false },
      schema: {
        tags: ['org'],
        summary: 'Reset a password (admin): clears lockout, ends sessions',
        params: idParams,
        // A POST without a body arrives as null, not undefined: no body means "generate one".
        body: z.strictObject({ password: password.optional() }).nullish(),
      },
    },
    async (request) => resetPassword(ctx(request), request.params.id, request.body?.password),
  );
  app.post(
    '/users/:id/disable',
    { schema: { tags: ['org'], summary: 'Disable (lock) an account (admin)', params: idParams } },
    async (request) => setUserDisabled(ctx(request), request.params.id, true),
  );
  app.post(
    '/users/:id/enable',
    {
      schema: { tags: ['org'], summary: 'Enable an account and clear its lockout (admin)', params: idParams },
    },
    async (request) => setUserDisabled(ctx(request), request.params.id, false),
  );
}
