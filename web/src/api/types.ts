/** Shapes of the server's case JSON (src/modules/cases/presenter.ts) as the console reads them. */
import type { Role } from '../auth/session';

export interface Label {
  zh: string;
  en: string;
}

export type Light = 'green' | 'yellow' | 'red';

export interface CaseView {
  id: number;
  number: string;
  source: string;
  kind: 'component' | 'event';
  category: { id: number; code: string; name: string };
  standardVersionId: number;
  componentCode: string | null;
  gridCode: string | null;
  areaClass: string | null;
  communityCode: string | null;
  streetCode: string | null;
  districtCode: string | null;
  location: { lng: number; lat: number };
  address: string;
  description: string;
  urgency: 'normal' | 'urgent' | 'emergency';
  reporter: { userId: number | null; role: Role | null; name: string | null; phone: string | null };
  state: string;
  stateLabel: Label;
  queue: string | null;
  queueLabel: Label | null;
  pending: { kind: string; requestedBy: Role; details: unknown } | null;
  department: { code: string; name: string } | null;
  handlerId: number | null;
  /** The assigned handler and the unit he sits in. */
  handler: {
    id: number;
    name: string | null;
    department: { code: string; name: string | null } | null;
  } | null;
  mergedIntoId: number | null;
  clock: {
    step: string;
    stepNo: number;
    startedAt: string | null;
    limit: {
      amount: number;
      unit: 'working_hours' | 'working_days' | 'calendar_hours' | 'minutes';
      urgency?: 'normal' | 'urgent' | 'emergency';
      countedFrom?: 'dispatch';
    } | null;
    calendarId: string | null;
    suspended: boolean;
    extensions: unknown[];
    yellowAt: string | null;
    deadline: string | null;
    light: Light | null;
  } | null;
  counters: Record<string, number>;
  photos: { before: string[]; after: string[] };
  /** The last 返工 (one case only; absent from lists): open while the case is being reworked. */
  rework?: {
    open: boolean;
    reason: string | null;
    photos: string[];
    at: string;
    by: { name: string | null; role: string | null };
  } | null;
  version: number;
  reportedAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface CaseEventView {
  seq: number;
  action: string;
  actionLabel: Label | null;
  actor: { id: number; username: string; name: string } | null;
  actorRole: Role | null;
  fromState: string | null;
  toState: string;
  reason: string | null;
  payload: Record<string, unknown> | null;
  at: string;
}
