/**
 * Guard facts computed from the store for one action (domain/workflow/guards.ts): the service
 * never decides a transition itself, it only answers these questions for `decide`.
 */
import type { Kysely } from 'kysely';
import { type CaseState, type GuardFacts, isTerminal } from '../../domain/workflow/index.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { standardFor } from '../catalog/lookup.js';
import { candidateClaim } from '../collab/repo.js';
import {
  type CaseRow,
  departmentByCode,
  findCase,
  lastAction,
  missingMedia,
  supervisesGrid,
} from './repo.js';
import type { ActionInput } from './schema.js';

export interface Resolved {
  department: { id: number; code: string; name: string; path: string } | null;
  target: { id: number; number: string } | null;
  handler: { id: number; name: string; department: { code: string; name: string } } | null;
}

/** Looks up what the input names; a name that does not resolve is a 400, a missing one a failed guard. */
export async function resolveInput(db: Kysely<Database>, actor: Actor, row: CaseRow, input: ActionInput) {
  const out: Resolved = { department: null, target: null, handler: null };
  if (input.departmentCode !== undefined) {
    const d = await departmentByCode(db, input.departmentCode);
    if (!d)
      throw new AppError('CASE_DEPARTMENT_UNKNOWN', { details: { departmentCode: input.departmentCode } });
    // Any department may be chosen, suggested or not, as long as it serves the case's area.
    if (!row.grid_code.startsWith(d.scope_prefix)) {
      throw new AppError('CASE_DEPARTMENT_OUT_OF_SCOPE', { details: { departmentCode: d.code } });
    }
    out.department = { id: d.id, code: d.code, name: d.name, path: d.path };
  }
  const missing = await missingMedia(db, input.photos ?? []);
  if (missing.length > 0) throw new AppError('CASE_PHOTO_UNKNOWN', { details: { photos: missing } });
  if (input.targetCaseId !== undefined) {
    const t = input.targetCaseId === row.id ? undefined : await findCase(db, actor, input.targetCaseId);
    if (!t || isTerminal(t.state as CaseState)) {
      throw new AppError('CASE_TARGET_INVALID', { details: { targetCaseId: input.targetCaseId } });
    }
    out.target = { id: t.id, number: t.number };
  }
  if (input.handlerId !== undefined) {
    const h = await db
      .selectFrom('users as u')
      .innerJoin('departments as d', 'd.id', 'u.department_id')
      .select(['u.id', 'u.display_name', 'd.path', 'd.code', 'd.name'])
      .where('u.id', '=', input.handlerId)
      .where('u.role', '=', 'handler')
      .where('u.disabled', '=', false)
      .executeTakeFirst();
    if (!h || !row.department_path || !h.path.startsWith(row.department_path)) {
      throw new AppError('VALIDATION_FAILED', {
        details: { handlerId: input.handlerId },
        message: { zh: '处置人员不属于承办部门', en: 'The handler is not in the assigned department' },
      });
    }
    out.handler = { id: h.id, name: h.display_name, department: { code: h.code, name: h.name } };
  }
  return out;
}

/** 核查须拍照: whether the standard the case was filed under asks for photos with its 核查. */
async function checkPhotosRequired(db: Kysely<Database>, row: CaseRow): Promise<boolean> {
  if (row.standard_version_id === null) return false;
  const standard = await standardFor(db, { categoryId: row.category_id, versionId: row.standard_version_id });
  return standard?.checkPhotos === true;
}

/** Facts that come from the case and the actor, not from the request body. */
export async function caseFacts(db: Kysely<Database>, actor: Actor, row: CaseRow): Promise<GuardFacts> {
  const [check, verification, supervises, candidate, photosAsked] = await Promise.all([
    // A 自行处置 report counts as checked until a later 核查 says otherwise.
    lastAction(db, row.id, ['check_pass', 'check_fail', 'self_handle']),
    lastAction(db, row.id, ['verify', 'deny']),
    actor.role === 'supervisor' ? supervisesGrid(db, actor.userId, row.grid_code) : Promise.resolve(false),
    row.state === 'ownership_dispute' ? candidateClaim(db, actor, row.id) : Promise.resolve(undefined),
    // Only a case under 核查 can be checked; no other state pays for the lookup.
    row.state === 'checking' ? checkPhotosRequired(db, row) : Promise.resolve(false),
  ]);
  return {
    checkPassed: check === 'check_pass' || check === 'self_handle',
    verificationDenied: verification === 'deny',
    isGridSupervisor: supervises,
    isAssignedDepartment:
      (!!actor.departmentPath && !!row.department_path?.startsWith(actor.departmentPath)) ||
      // The handler the department assigned acts for it, from whichever sub-unit he sits in.
      (actor.role === 'handler' && row.handler_id === actor.userId),
    isCandidateDepartment: candidate !== undefined,
    sourceVerified: row.reporter_role === 'supervisor' || row.source === 'leader',
    // Given unless asked for; the action's photos complete it (actionFacts).
    checkPhotosGiven: !photosAsked,
  };
}

export function inputFacts(input: ActionInput, resolved: Resolved): GuardFacts {
  return {
    hasReason: (input.reason ?? '').trim().length > 0,
    hasAfterPhotos: (input.photos ?? []).length > 0,
    hasDepartment: resolved.department !== null,
    hasTargetCase: resolved.target !== null,
  };
}

/** All facts of one action: the case's, the request's, and the check photos the two make up. */
export function actionFacts(fromCase: GuardFacts, input: ActionInput, resolved: Resolved): GuardFacts {
  const given = inputFacts(input, resolved);
  return {
    ...fromCase,
    ...given,
    checkPhotosGiven: fromCase.checkPhotosGiven === true || given.hasAfterPhotos === true,
  };
}

/** For GET …/actions: assume the form will be filled in (reason, photos, department, target). */
export const FORM_FILLED: GuardFacts = {
  hasReason: true,
  hasAfterPhotos: true,
  hasDepartment: true,
  hasTargetCase: true,
  checkPhotosGiven: true,
};
