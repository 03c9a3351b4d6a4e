/**
 * GET requests, requests/{id} and tokens/{token}. What is answered is public: cases that came
 * through Open311 in every state, other cases once filed (as on the citizen portal), positions
 * rounded to ~10 m, the text of others' reports only once approved by moderation, and never a
 * reporter's or staff member's name, phone or e-mail.
 */
import { type Kysely, sql } from 'kysely';
import { ACTION_LABELS, type CaseAction } from '../../domain/workflow/index.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { PUBLIC_STATES } from '../public/listing.js';
import { approvedText } from '../public/moderation.js';
import { roundCoord } from '../public/presenter.js';
import { isoLocal } from './format.js';
import { dateTime, integer, invalid, type Params } from './params.js';
import { parseServiceCode, serviceCodeOf } from './services.js';

const DAY_MS = 86_400_000;
export const MAX_SPAN_DAYS = 90;
export const DEFAULT_LIMIT = 1000;

function requestRows(db: Kysely<Database>) {
  return db
    .selectFrom('cases as c')
    .innerJoin('categories as k', 'k.id', 'c.category_id')
    .innerJoin('open311_status_map as m', 'm.state', 'c.state')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .leftJoin('open311_requests as r', 'r.case_id', 'c.id')
    .select([
      'c.id',
      'c.number',
      'c.source',
      'c.state',
      'c.kind',
      'c.description',
      'c.address',
      'c.reported_at',
      'c.updated_at',
      'c.step_deadline',
      'k.code as category_code',
      'k.name as category_name',
      'd.name as department_name',
      'r.media_url',
      'm.status',
      'm.extended',
      'm.notes',
      sql<number>`ST_X(c.location)`.as('lng'),
      sql<number>`ST_Y(c.location)`.as('lat'),
    ])
    .where((eb) => eb.or([eb('r.case_id', 'is not', null), eb('c.state', 'in', [...PUBLIC_STATES])]));
}

type Row = Awaited<ReturnType<ReturnType<typeof requestRows>['execute']>>[number];

export interface ServiceRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  address_id: null;
  zipcode: null;
  lat: number;
  long: number;
  media_url: string | null;
  extended_attributes?: Record<string, unknown>;
}

async function present(db: Kysely<Database>, rows: Row[], extensions: boolean): Promise<ServiceRequest[]> {
  const others = rows.filter((r) => r.source !== 'open311').map((r) => r.id);
  const texts = await approvedText(db, others);
  const events =
    extensions && rows.length > 0
      ? await db
          .selectFrom('case_events')
          .select(['case_id', 'action', 'to_state', 'at'])
          .where(
            'case_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('case_id')
          .orderBy('seq')
          .execute()
      : [];
  return rows.map((r) => {
    const open = r.status === 'open';
    const base: ServiceRequest = {
      service_request_id: r.number,
      status: r.status,
      status_notes: r.notes,
      service_name: r.category_name,
      service_code: serviceCodeOf(r.kind, r.category_code),
      description: r.source === 'open311' ? r.description : (texts.get(`${r.id}:description`) ?? null),
      agency_responsible: r.department_name,
      service_notice: null,
      requested_datetime: isoLocal(r.reported_at),
      updated_datetime: isoLocal(r.updated_at),
      expected_datetime: open && r.step_deadline ? isoLocal(r.step_deadline) : null,
      address: r.address,
      address_id: null,
      zipcode: null,
      lat: roundCoord(Number(r.lat)),
      long: roundCoord(Number(r.lng)),
      media_url: r.media_url,
    };
    if (!extensions) return base;
    const notes = events
      .filter((e) => e.case_id === r.id)
      .map((e) => ({
        type: 'activity',
        datetime: isoLocal(e.at),
        summary: ACTION_LABELS[e.action as CaseAction]?.zh ?? e.action,
        description: ACTION_LABELS[e.action as CaseAction]?.en ?? e.action,
      }));
    return {
      ...base,
      extended_attributes: { channel: r.source, status: r.extended, notes },
    };
  });
}

function listOf(value: string | undefined, max: number, name: string): string[] {
  if (value === undefined) return [];
  const items = [
    ...new Set(
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (items.length > max) throw invalid(name, `at most ${max} values`, `最多 ${max} 个值`);
  return items;
}

/** start/end as the spec reads them: the last 90 days by default, never a longer span. */
export function dateRange(params: Params, now = new Date()): { start: Date; end: Date } {
  const start = dateTime(params, 'start_date');
  const end = dateTime(params, 'end_date');
  const span = MAX_SPAN_DAYS * DAY_MS;
  const range =
    start && end
      ? { start, end }
      : start
        ? { start, end: new Date(start.getTime() + span) }
        : end
          ? { start: new Date(end.getTime() - span), end }
          : { start: new Date(now.getTime() - span), end: now };
  if (range.end.getTime() < range.start.getTime() || range.end.getTime() - range.start.getTime() > span) {
    throw new AppError('OPEN311_DATE_RANGE', {
      details: { start_date: range.start.toISOString(), end_date: range.end.toISOString() },
    });
  }
  return range;
}

/** GET requests with every filter of the spec, and page / page_size. */
export async function listRequests(db: Kysely<Database>, params: Params): Promise<ServiceRequest[]> {
  const extensions = params.get('extensions') === 'true';
  const ids = listOf(params.get('service_request_id'), DEFAULT_LIMIT, 'service_request_id');
  let query = requestRows(db);
  if (ids.length > 0) {
    // The ids list overrides every other filter.
    const rows = await query.where('c.number', 'in', ids).orderBy('c.reported_at', 'desc').execute();
    return present(db, rows, extensions);
  }
  const codes = listOf(params.get('service_code'), 200, 'service_code').map((code) => {
    const parsed = parseServiceCode(code);
    if (!parsed) throw invalid('service_code', `unknown service code ${code}`, `没有服务代码 ${code}`);
    return parsed;
  });
  const statuses = listOf(params.get('status'), 2, 'status');
  if (statuses.some((s) => s !== 'open' && s !== 'closed')) {
    throw invalid('status', 'open or closed', '只能是 open 或 closed');
  }
  const { start, end } = dateRange(params);
  const pageSize = integer(params, 'page_size', 1, DEFAULT_LIMIT) ?? DEFAULT_LIMIT;
  const page = integer(params, 'page', 1, 1_000_000) ?? 1;
  if (codes.length > 0) {
    query = query.where((eb) =>
      eb.or(codes.map((c) => eb.and([eb('c.kind', '=', c.kind), eb('k.code', '=', c.code)]))),
    );
  }
  if (statuses.length > 0) query = query.where('m.status', 'in', statuses as Array<'open' | 'closed'>);
  const rows = await query
    .where('c.reported_at', '>=', start)
    .where('c.reported_at', '<=', end)
    .orderBy('c.reported_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return present(db, rows, extensions);
}

export async function oneRequest(db: Kysely<Database>, id: string, extensions: boolean) {
  const rows = await requestRows(db).where('c.number', '=', id).execute();
  if (rows.length === 0)
    throw new AppError('OPEN311_REQUEST_UNKNOWN', { details: { service_request_id: id } });
  return present(db, rows, extensions);
}

/** GET tokens/{token}: the id of the request the token was given for. */
export async function requestOfToken(db: Kysely<Database>, token: string) {
  const row = /^[0-9a-f-]{36}$/i.test(token)
    ? await db
        .selectFrom('open311_requests as r')
        .innerJoin('cases as c', 'c.id', 'r.case_id')
        .select(['c.number', 'r.token'])
        .where('r.token', '=', token.toLowerCase())
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('OPEN311_TOKEN_UNKNOWN', { details: { token } });
  return [{ service_request_id: row.number, token: row.token }];
}
