import { z } from 'zod';
import { ctxOf } from '../../platform/http/auth-hook.js';
import { idParam } from '../../platform/http/ids.js';
import type { ApiApp, Deps } from '../../platform/http/types.js';
import { createRule, deleteRule, getRule, listRules, updateRule } from './rules.js';
import { createRuleBody, listRulesQuery, ruleId, updateRuleBody } from './schema.js';
import { dispatchSuggestions } from './suggest.js';

const caseId = z.strictObject({
  id: idParam,
});

/** Responsibility table (责任分解表) and dispatch suggestions; registered from caseRoutes. */
export async function dispatchRoutes(app: ApiApp, { store }: Deps): Promise<void> {
  const tags = ['dispatch'];
  app.get(
    '/cases/:id/dispatch-suggestions',
    {
      schema: {
        tags,
        summary: 'Departments to dispatch the case to, ranked, each with its reason (部件权属 / 责任分解表)',
        params: caseId,
        querystring: z.strictObject({}),
      },
    },
    async (request) => dispatchSuggestions(ctxOf(store.db, request), request.params.id),
  );
  app.get(
    '/responsibility-rules',
    { schema: { tags, summary: 'Rules of the responsibility table', querystring: listRulesQuery } },
    async (request) => listRules(ctxOf(store.db, request), request.query),
  );
  app.get(
    '/responsibility-rules/:id',
    { schema: { tags, summary: 'One rule of the responsibility table', params: ruleId } },
    async (request) => getRule(ctxOf(store.db, request), request.params.id),
  );
  app.post(
    '/responsibility-rules',
    {
      schema: {
        tags,
        summary: 'Add a rule: class × area (× area class) → departments in order of preference (admin)',
        body: createRuleBody,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createRule(ctxOf(store.db, request), request.body)),
  );
  app.patch(
    '/responsibility-rules/:id',
    {
      schema: {
        tags,
        summary: 'Change a rule’s departments, note or validity (admin)',
        params: ruleId,
        body: updateRuleBody,
      },
    },
    async (request) => updateRule(ctxOf(store.db, request), request.params.id, request.body),
  );
  app.delete(
    '/responsibility-rules/:id',
    { schema: { tags, summary: 'Remove a rule (admin)', params: ruleId } },
    async (request, reply) => {
      await deleteRule(ctxOf(store.db, request), request.params.id);
      return reply.status(204).send();
    },
  );
}
