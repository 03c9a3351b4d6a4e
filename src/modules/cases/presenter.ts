import type { Role } from '../../domain/access/permissions.js';
import {
  ACTION_LABELS,
  type CaseAction,
  type CaseState,
  QUEUE_LABELS,
  queueOf,
  type RequestKind,
  STATE_LABELS,
} from '../../domain/workflow/index.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { CaseRow, caseEvents } from './repo.js';

/** Only these roles see a reporter's name and phone in full (personal data). */
const SEES_PERSONAL_DATA: readonly Role[] = ['intake', 'shift_leader', 'admin'];

export const maskName = (name: string) =>
  name.length <= 1 ? '*' : `${name.slice(0, 1)}${'*'.repeat(name.length - 1)}`;
export const maskPhone = (phone: string) =>
  phone.length < 7 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}****${phone.slice(-4)}`;

export function pendingOf(row: Pick<CaseRow, 'pending_kind' | 'pending_role'>) {
  return row.pending_kind && row.pending_role
    ? { kind: row.pending_kind as RequestKind, requestedBy: row.pending_role as Role }
    : null;
}

export function presentCase(
  actor: Actor,
  row: CaseRow,
  photos: Array<{ sha256: string; phase: string }> = [],
) {
  const state = row.state as CaseState;
  const pending = pendingOf(row);
  const queue = queueOf(state, pending);
  const full = SEES_PERSONAL_DATA.includes(actor.role);
  return {
    id: row.id,
    number: row.number,
    source: row.source,
    kind: row.kind,
    category: { id: row.category_id, code: row.category_code, name: row.category_name },
    standardVersionId: row.standard_version_id,
    componentCode: row.component_code,
    gridCode: row.grid_code,
    areaClass: row.area_class,
    communityCode: row.community_code,
    streetCode: row.street_code,
    districtCode: row.district_code,
    location: { lng: row.lng, lat: row.lat },
    address: row.address,
    description: row.description,
    urgency: row.urgency,
    reporter: {
      userId: row.reported_by,
      role: row.reporter_role,
      name: row.reporter_name === null ? null : full ? row.reporter_name : maskName(row.reporter_name),
      phone: row.reporter_phone === null ? null : full ? row.reporter_phone : maskPhone(row.reporter_phone),
    },
    state,
    stateLabel: STATE_LABELS[state],
    queue,
    queueLabel: queue ? QUEUE_LABELS[queue] : null,
    pending: pending ? { ...pending, details: row.pending_payload ?? null } : null,
    department: row.department_code ? { code: row.department_code, name: row.department_name } : null,
    handlerId: row.handler_id,
    // The assigned handler and the unit he sits in (a sub-unit of the department, or itself).
    handler:
      row.handler_id === null
        ? null
        : {
            id: row.handler_id,
            name: row.handler_name,
            department: row.handler_department_code
              ? { code: row.handler_department_code, name: row.handler_department_name }
              : null,
          },
    mergedIntoId: row.merged_into_id,
    clock: row.step
      ? {
          step: row.step,
          stepNo: row.step_no,
          startedAt: row.step_started_at?.toISOString() ?? null,
          limit: row.step_limit,
          calendarId: row.step_calendar_id,
          suspended: row.step_suspensions.some((s) => s.to === null),
          extensions: row.step_extensions,
          yellowAt: row.step_yellow_at?.toISOString() ?? null,
          deadline: row.step_deadline?.toISOString() ?? null,
          light: row.light,
        }
      : null,
    counters: row.counters,
    photos: {
      before: photos.filter((p) => p.phase === 'before').map((p) => p.sha256),
      after: photos.filter((p) => p.phase === 'after').map((p) => p.sha256),
    },
    version: row.version,
    reportedAt: row.reported_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}

export function presentEvent(e: Awaited<ReturnType<typeof caseEvents>>[number]) {
  return {
    seq: e.seq,
    action: e.action,
    actionLabel: ACTION_LABELS[e.action as CaseAction] ?? null,
    actor: e.actor_id === null ? null : { id: e.actor_id, username: e.username, name: e.display_name },
    actorRole: e.actor_role,
    fromState: e.from_state,
    toState: e.to_state,
    reason: e.reason,
    payload: e.payload,
    at: e.at.toISOString(),
  };
}
