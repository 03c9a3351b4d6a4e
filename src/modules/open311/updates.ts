/**
 * mySociety's `servicerequestupdates` extension (what FixMyStreet's Open311 adapter speaks):
 * GET lists the changes of state of the cases a client may see, as updates with the extended
 * statuses; POST takes a client's update on a case (a citizen's comment, a reopen wish) once per
 * `update_id`. A posted update is recorded beside the case for the centre; it changes no state:
 * only the centre moves a case along the loop.
 */
import { type Kysely, sql } from 'kysely';
import { ACTION_LABELS, type CaseAction } from '../../domain/workflow/index.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import type { Client } from './clients.js';
import { isoLocal } from './format.js';
import { dateTime, invalid, type Params, required } from './params.js';
import { DEFAULT_LIMIT, dateRange } from './requests.js';
import { EXTENDED_STATUSES, type ExtendedStatus } from './tables.js';

const PUBLIC_STATES = [
  'filed',
  'dispatched',
  'ownership_dispute',
  'handling',
  'suspended',
  'handled',
  'checking',
  'pending_close',
  'closed',
];

export async function listUpdates(db: Kysely<Database>, params: Params) {
  const { start, end } = dateRange(params);
  const rows = await db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .innerJoin('open311_status_map as m', 'm.state', 'e.to_state')
    .leftJoin('open311_requests as r', 'r.case_id', 'c.id')
    .select(['e.id', 'e.action', 'e.to_state', 'e.at', 'c.number', 'm.extended', 'm.notes'])
    .where('e.at', '>=', start)
    .where('e.at', '<=', end)
    // A change of state is an update; the report itself is the request.
    .where('e.action', '<>', 'report')
    .where(sql<boolean>`e.from_state IS DISTINCT FROM e.to_state`)
    .where((eb) => eb.or([eb('r.case_id', 'is not', null), eb('c.state', 'in', PUBLIC_STATES)]))
    .orderBy('e.at')
    .orderBy('e.id')
    .limit(DEFAULT_LIMIT)
    .execute();
  return rows.map((r) => {
    const label = ACTION_LABELS[r.action as CaseAction];
    return {
      update_id: String(r.id),
      service_request_id: r.number,
      status: r.extended,
      updated_datetime: isoLocal(r.at),
      description: [label?.zh ?? r.action, r.notes].filter(Boolean).join('：'),
      media_url: null,
      external_status_code: r.to_state,
    };
  });
}

export async function postUpdate(db: Kysely<Database>, client: Client, params: Params) {
  const updateId = params.get('update_id');
  if (!updateId) throw required('update_id');
  if (updateId.length > 100) throw invalid('update_id', 'at most 100 characters', '不超过 100 字');
  const number = params.get('service_request_id');
  if (!number) throw required('service_request_id');
  const rawStatus = params.get('status');
  if (!rawStatus) throw required('status');
  const status = rawStatus.toUpperCase() as ExtendedStatus;
  if (!EXTENDED_STATUSES.includes(status)) {
    throw invalid('status', `one of ${EXTENDED_STATUSES.join(', ')}`, '不在状态列表中');
  }
  const updatedAt = dateTime(params, 'updated_datetime');
  if (!updatedAt) throw required('updated_datetime');
  const description = params.get('description') ?? '';
  if (description.length > 4000) throw invalid('description', 'at most 4000 characters', '不超过 4000 字');
  const mediaUrl = params.get('media_url');
  if (mediaUrl && (!/^https?:\/\/\S+$/.test(mediaUrl) || mediaUrl.length > 1000)) {
    throw invalid('media_url', 'an http(s) URL', '应为 http(s) 地址');
  }
  const target = await db.selectFrom('cases').select('id').where('number', '=', number).executeTakeFirst();
  if (!target) throw new AppError('OPEN311_REQUEST_UNKNOWN', { details: { service_request_id: number } });
  const contact: Record<string, string> = {};
  for (const f of ['email', 'first_name', 'last_name', 'account_id']) {
    const v = params.get(f);
    if (v) contact[f] = v.slice(0, 200);
  }
  // Once per update_id: a retry answers the id the first one was given.
  const inserted = await db
    .insertInto('open311_updates')
    .values({
      client_id: client.id,
      update_id: updateId,
      case_id: target.id,
      status,
      description,
      media_url: mediaUrl ?? null,
      contact: JSON.stringify(contact),
      updated_at: updatedAt,
    })
    .onConflict((oc) => oc.columns(['client_id', 'update_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const id =
    inserted?.id ??
    (
      await db
        .selectFrom('open311_updates')
        .select('id')
        .where('client_id', '=', client.id)
        .where('update_id', '=', updateId)
        .executeTakeFirstOrThrow()
    ).id;
  return [{ update_id: `u${id}` }];
}
