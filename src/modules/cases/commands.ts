/** Use cases that change cases: intake (POST /cases) and every workflow action. */
import type { Kysely } from 'kysely';
import { localDateOf } from '../../domain/timelimit/index.js';
import {
  type CaseAction,
  type CaseState,
  type DecideOk,
  type Decision,
  decide,
} from '../../domain/workflow/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { transact } from '../../platform/db/after-commit.js';
import type { Database } from '../../platform/db/schema.js';
import { isUnitOfWork } from '../../platform/db/unit-of-work.js';
import { AppError, notFound } from '../../platform/errors.js';
import { audit } from '../audit/service.js';
import { checkCollabTiming, collabPayload, prepareCollab, recordCollab } from '../collab/workflow.js';
import { outOfScopeError } from '../grid/scope.js';
import { advance, calendarLoader } from './advance.js';
import { type DuplicateRules, roundedDuplicates } from './duplicates.js';
import { actionFacts, caseFacts, resolveInput } from './facts.js';
import { fileReport, type Report } from './file-report.js';
import { locateReport } from './locate.js';
import { pendingOf, presentCase } from './presenter.js';
import {
  caseNumberSequence,
  casePhotos,
  caseQuery,
  categoryByCode,
  findCase,
  forgetCaseNumberSequence,
  lastRework,
  missingMedia,
  supervisesGrid,
  versionInForce,
} from './repo.js';
import type { ActionInput, CreateCaseInput, EndpointAction } from './schema.js';
import type { StoredLimit } from './tables.js';

/**
 * Whether a 自行处置 report is closed at once (otherwise it waits in 待结案 for the shift
 * leader). Not configurable yet: the centre keeps the last word.
 */
const SELF_HANDLE_CLOSES = false;
/** Guard facts assumed for the early role check of POST /cases (the real ones follow). */
const SELF_HANDLE_FORM = { isGridSupervisor: true, hasAfterPhotos: true } as const;

/** A refusal of the state machine as an API error (zh/en message from the workflow). */
export function refusal(decision: Exclude<Decision, DecideOk>, action: CaseAction): AppError {
  const code =
    decision.code === 'ROLE_NOT_ALLOWED'
      ? 'CASE_ROLE_NOT_ALLOWED'
      : decision.code === 'ACTION_NOT_ALLOWED'
        ? 'CASE_ACTION_NOT_ALLOWED'
        : 'CASE_GUARD_FAILED';
  return new AppError(code, {
    message: decision.message,
    details: { action, guard: decision.guard ?? null },
  });
}

export async function readCase(db: Kysely<Database>, ctx: Ctx, id: number) {
  const row = await caseQuery(db).where('c.id', '=', id).executeTakeFirstOrThrow();
  const [photos, rework] = await Promise.all([casePhotos(db, id), lastRework(db, row)]);
  return { ...presentCase(ctx.actor, row, photos), rework };
}

/**
 * 上报 (POST /cases), or 自行处置 when `selfHandled` carries the after-photos: a supervisor
 * reports a problem already fixed on the spot, which goes straight to 待结案.
 */
export async function createCase(
  ctx: Ctx,
  input: CreateCaseInput,
  selfHandled?: { afterPhotos: string[] },
  /** Answer with the report's possible duplicates (疑似重复) under these rules (POST /cases). */
  duplicates?: DuplicateRules,
) {
  requirePermission(ctx.actor, 'case.report');
  const { actor } = ctx;
  const action = selfHandled ? 'self_handle' : 'report';
  // The role is checked before anything is looked up; the guards once the grid is known.
  const early = decide(null, action, { role: actor.role }, SELF_HANDLE_FORM);
  if (!early.ok) throw refusal(early, action);
  // A supervisor's report is verified by being on site; only a supervisor may claim that channel.
  if ((input.source === 'supervisor') !== (actor.role === 'supervisor')) {
    throw new AppError('VALIDATION_FAILED', {
      details: { source: input.source },
      message: {
        zh: '只有监督员上报的案卷来源为「监督员」，监督员上报只能选择该来源',
        en: "Source 'supervisor' is used by supervisors, and only by them",
      },
    });
  }
  const category = await categoryByCode(ctx.db, input.kind, input.categoryCode);
  if (!category) {
    throw new AppError('CASE_CATEGORY_UNKNOWN', {
      details: { kind: input.kind, categoryCode: input.categoryCode },
    });
  }
  const grid = await locateReport(ctx.db, input.lng, input.lat, actor.scopePrefix);
  if (!grid) {
    throw (
      (await outOfScopeError(ctx.db, actor, input.lng, input.lat)) ??
      new AppError('CASE_LOCATION_UNKNOWN', { details: { lng: input.lng, lat: input.lat } })
    );
  }
  const missing = await missingMedia(ctx.db, [...input.photos, ...(selfHandled?.afterPhotos ?? [])]);
  if (missing.length > 0) throw new AppError('CASE_PHOTO_UNKNOWN', { details: { photos: missing } });
  const decision = selfHandled
    ? decide(
        null,
        action,
        { role: actor.role },
        {
          isGridSupervisor: await supervisesGrid(ctx.db, actor.userId, grid.code),
          hasAfterPhotos: selfHandled.afterPhotos.length > 0,
          selfHandleCloses: SELF_HANDLE_CLOSES,
        },
      )
    : early;
  if (!decision.ok) throw refusal(decision, action);

  const now = new Date();
  const series = {
    district: grid.district_code,
    day: localDateOf(await calendarLoader(ctx.db)('office'), now),
    kind: input.kind,
  };
  const versionId = await versionInForce(ctx.db, now);
  // In a unit of work (an idempotent request) the statement runs in the unit's transaction.
  const inUnit = isUnitOfWork(ctx.db);
  const report: Report = {
    actor,
    meta: ctx.meta,
    input,
    action,
    decision,
    category,
    grid,
    versionId,
    afterPhotos: selfHandled ? selfHandled.afterPhotos : null,
    duplicates,
    now,
  };
  const file = (sequence: string) => fileReport(ctx.db, report, series, sequence);
  let sequence = await caseNumberSequence(ctx.db, series);
  let filed: Awaited<ReturnType<typeof fileReport>>;
  try {
    filed = await file(sequence);
  } catch (err) {
    // The day's sequence is gone (old ones are dropped; on the embedded store one made inside a
    // unit of work that rolled back goes with it): make it again and file once more.
    if ((err as { code?: string }).code !== '42P01') throw err;
    forgetCaseNumberSequence(ctx.db, series);
    // A unit of work is aborted by the failed statement: the request fails (nothing is kept,
    // the client retries) and its retry makes the sequence.
    if (inUnit) throw err;
    sequence = await caseNumberSequence(ctx.db, series);
    filed = await file(sequence);
  }
  // The answer is built from what was written: nothing is read back.
  const photos = [
    ...[...new Set(input.photos)].map((sha256) => ({ sha256, phase: 'before' })),
    ...[...new Set(selfHandled?.afterPhotos ?? [])].map((sha256) => ({ sha256, phase: 'after' })),
  ];
  const created = presentCase(actor, filed.row, photos);
  return filed.near ? { ...created, possibleDuplicates: roundedDuplicates(filed.near) } : created;
}

function extensionOf(action: CaseAction, input: ActionInput, pendingPayload: unknown): StoredLimit | null {
  if (action !== 'extend_approve') return null;
  if (input.amount !== undefined && input.unit !== undefined)
    return { amount: input.amount, unit: input.unit };
  const asked = pendingPayload as Partial<StoredLimit> | null;
  return asked?.amount && asked.unit ? { amount: asked.amount, unit: asked.unit } : null;
}

export async function actOnCase(ctx: Ctx, id: number, action: EndpointAction, input: ActionInput) {
  requirePermission(ctx.actor, 'case.act');
  const { actor } = ctx;
  await transact(ctx.db, async (trx) => {
    // The row lock serialises concurrent actions; the version tells a stale view from a fresh one.
    const row = await findCase(trx, actor, id, true);
    if (!row) throw notFound('case');
    if (row.version !== input.version) {
      throw new AppError('CASE_VERSION_CONFLICT', {
        details: { version: row.version, yours: input.version },
      });
    }
    const now = new Date();
    const resolved = await resolveInput(trx, actor, row, input);
    const collab = await prepareCollab(trx, ctx, row, action, input, now);
    const facts = actionFacts(await caseFacts(trx, actor, row), input, resolved);
    const snapshot = { state: row.state as CaseState, pending: pendingOf(row) };
    const decision = decide(snapshot, action, { role: actor.role }, facts);
    if (!decision.ok) throw refusal(decision, action);
    checkCollabTiming(action, collab, now);

    const set: Parameters<typeof advance>[2]['set'] = {};
    if (resolved.department) set.department_id = resolved.department.id;
    if (action === 'return_approve') Object.assign(set, { department_id: null, handler_id: null });
    if (resolved.handler) set.handler_id = resolved.handler.id;
    if (resolved.target) set.merged_into_id = resolved.target.id;
    if (action === 'extend_request' && input.amount !== undefined && input.unit !== undefined) {
      set.pending_payload = JSON.stringify({ amount: input.amount, unit: input.unit });
    }
    const extension = extensionOf(action, input, row.pending_payload);
    const payload: Record<string, unknown> = {};
    if (resolved.department)
      payload.department = { code: resolved.department.code, name: resolved.department.name };
    if (resolved.target) payload.mergedInto = resolved.target;
    // Who was assigned, by name and unit, so the timeline says who assigned whom.
    if (resolved.handler)
      Object.assign(payload, { handlerId: resolved.handler.id, handler: resolved.handler });
    if (extension) payload.extension = extension;
    if (action === 'extend_request') payload.requested = { amount: input.amount, unit: input.unit };
    if (input.photos) payload.photos = input.photos;
    Object.assign(payload, collabPayload(action, input, collab));
    const { clock } = await advance(trx, row, {
      actorId: actor.userId > 0 ? actor.userId : null,
      actorRole: actor.role,
      action,
      decision,
      reason: input.reason ?? null,
      payload,
      set,
      // After-photos belong to the case; photos taken at a check stay in the event payload.
      photos: action === 'feedback' && input.photos ? { phase: 'after', shas: input.photos } : null,
      extension,
      bumpVersion: true,
      now,
    });
    await recordCollab({ ...ctx, db: trx }, row, {
      action,
      to: decision.to,
      input,
      plan: collab,
      department: resolved.department,
      stepDeadline: clock.step === 'claim' ? clock.deadline : null,
      now,
    });
    await audit({ ...ctx, db: trx }, { action: `case.${action}`, target: `case:${row.number}` });
  });
  return readCase(ctx.db, ctx, id);
}
