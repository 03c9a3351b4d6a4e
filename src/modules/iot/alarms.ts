/**
 * From alarm to case (issue 15). A public-space alarm opens one urgent 部件 case for its
 * component through the one intake door (cases/commands.ts createCase: category, grid, case
 * number, event log, audit); while that case is open, further alarms of the component (another
 * kind, another device, the same one flapping) and restorations attach to it as `sensor_event`
 * events, never a second case. Device faults (flat battery, offline) open a maintenance task.
 * Runs inside the ingester's unit of work: the case and the message commit together.
 */
import { type Kysely, sql } from 'kysely';
import { ALARM_LABELS, type AlarmKind, isCaseAlarm } from '../../domain/iot/readings.js';
import { type CaseState, decide, isTerminal } from '../../domain/workflow/index.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { advance } from '../cases/advance.js';
import { createCase } from '../cases/commands.js';
import { pendingOf } from '../cases/presenter.js';
import { caseQuery } from '../cases/repo.js';

/** The sensors' own identity at the intake door: a service account acting city-wide. */
export const IOT_ACTOR: Actor = {
  userId: 0,
  username: 'iot',
  displayName: '物联感知',
  role: 'service',
  divisionCode: null,
  departmentId: null,
  scopePrefix: '',
  departmentPath: null,
  via: 'api_key',
  mustChangePassword: false,
};
const META = { ip: null, requestId: null, userAgent: null };

export interface DeviceContext {
  id: string;
  component_id: string;
}

export interface AlarmOutcome {
  kind: AlarmKind;
  change: 'raised' | 'restored';
  caseId: number | null;
  /** A new case was opened (not attached to an open one). */
  opened: boolean;
  taskId: string | null;
}

/** Raises an alarm of a device: a case (new or the open one) or a maintenance task. */
export async function raiseAlarm(
  db: Kysely<Database>,
  device: DeviceContext,
  kind: AlarmKind,
  value: number | null,
  at: Date,
): Promise<AlarmOutcome | null> {
  const inserted = await sql<{ id: string }>`
    INSERT INTO iot_alarms (device_id, component_id, kind, value, raised_at)
    VALUES (${device.id}, ${device.component_id}, ${kind}, ${value}, ${at})
    ON CONFLICT (device_id, kind) WHERE restored_at IS NULL DO NOTHING
    RETURNING id`.execute(db);
  const alarmId = inserted.rows[0]?.id;
  // Still active since an earlier message: the same alarm, nothing new to tell.
  if (!alarmId) return null;
  if (!isCaseAlarm(kind)) {
    const taskId = await openTask(db, device.id, kind as 'offline' | 'low_battery', at);
    await db.updateTable('iot_alarms').set({ task_id: taskId }).where('id', '=', alarmId).execute();
    return { kind, change: 'raised', caseId: null, opened: false, taskId };
  }
  const label = ALARM_LABELS[kind];
  const open = await openCaseOf(db, device.component_id);
  let caseId: number;
  let opened = false;
  if (open) {
    await attach(db, open, { event: 'raised', kind, label: label.zh, device: device.id, value, at });
    caseId = open;
  } else {
    caseId = await openCase(db, device, kind, value);
    opened = true;
  }
  await db.updateTable('iot_alarms').set({ case_id: caseId }).where('id', '=', alarmId).execute();
  return { kind, change: 'raised', caseId, opened, taskId: null };
}

/** Restores an active alarm: the case hears of it and asks for an on-site check; a task closes. */
export async function restoreAlarm(
  db: Kysely<Database>,
  device: DeviceContext,
  kind: AlarmKind,
  value: number | null,
  at: Date,
): Promise<AlarmOutcome | null> {
  const restored = await db
    .updateTable('iot_alarms')
    .set({ restored_at: sql`greatest(raised_at, ${at}::timestamptz)` })
    .where('device_id', '=', device.id)
    .where('kind', '=', kind)
    .where('restored_at', 'is', null)
    .returning(['case_id', 'task_id'])
    .executeTakeFirst();
  if (!restored) return null;
  if (restored.task_id) {
    await db
      .updateTable('iot_maintenance_tasks')
      .set({ closed_at: at, note: '设备恢复上报 / device reporting again' })
      .where('id', '=', restored.task_id)
      .where('closed_at', 'is', null)
      .execute();
  }
  if (restored.case_id) {
    const open = await openCaseOf(db, device.component_id);
    // A sensor saying "fine" closes nothing: someone has to see the cover (核查).
    if (open === restored.case_id)
      await attach(db, open, {
        event: 'restored',
        kind,
        label: ALARM_LABELS[kind].zh,
        device: device.id,
        value,
        at,
        checkOnSite: true,
      });
  }
  return { kind, change: 'restored', caseId: restored.case_id, opened: false, taskId: restored.task_id };
}

async function openTask(
  db: Kysely<Database>,
  deviceId: string,
  kind: 'offline' | 'low_battery',
  at: Date,
): Promise<string> {
  const r = await sql<{ id: string }>`
    INSERT INTO iot_maintenance_tasks (device_id, kind, opened_at) VALUES (${deviceId}, ${kind}, ${at})
    ON CONFLICT (device_id, kind) WHERE closed_at IS NULL DO UPDATE SET note = iot_maintenance_tasks.note
    RETURNING id`.execute(db);
  return r.rows[0]?.id as string;
}

/**
 * The open sensor case of a component. The component row is locked first, so two messages of
 * the same component (two ingesters, two devices) never both find none and open two cases.
 */
async function openCaseOf(db: Kysely<Database>, componentId: string): Promise<number | null> {
  await sql`SELECT 1 FROM components WHERE id = ${componentId} FOR UPDATE`.execute(db);
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'state'])
    .where('source', '=', 'iot')
    .where('component_code', '=', componentId)
    .orderBy('id', 'desc')
    .limit(1)
    .execute();
  const last = rows[0];
  return last && !isTerminal(last.state as CaseState) ? last.id : null;
}

async function attach(db: Kysely<Database>, caseId: number, payload: Record<string, unknown>) {
  const row = await caseQuery(db)
    .where('c.id', '=', caseId)
    .modifyEnd(sql`FOR UPDATE OF c`)
    .executeTakeFirstOrThrow();
  const decision = decide(
    { state: row.state as CaseState, pending: pendingOf(row) },
    'sensor_event',
    { role: 'service' },
    {},
  );
  if (!decision.ok) return;
  await advance(db, row, {
    actorId: null,
    actorRole: 'service',
    action: 'sensor_event',
    decision,
    reason: null,
    payload: { ...payload, at: (payload.at as Date).toISOString() },
    set: {},
    photos: null,
    extension: null,
    bumpVersion: false,
    now: new Date(),
  });
}

async function openCase(
  db: Kysely<Database>,
  device: DeviceContext,
  kind: AlarmKind,
  value: number | null,
): Promise<number> {
  const c = await db
    .selectFrom('components')
    .select([
      'id',
      'name',
      'category_code',
      sql<number>`ST_X(geom)`.as('lng'),
      sql<number>`ST_Y(geom)`.as('lat'),
    ])
    .where('id', '=', device.component_id)
    .executeTakeFirstOrThrow();
  const label = ALARM_LABELS[kind];
  const reading = value === null ? '' : `，读数 ${value}`;
  const created = await createCase(
    { db, actor: IOT_ACTOR, meta: META },
    {
      source: 'iot',
      kind: 'component',
      categoryCode: c.category_code,
      componentCode: c.id,
      lng: c.lng,
      lat: c.lat,
      address: `${c.name}（部件 ${c.id}）`,
      description: `物联感知告警：${label.zh}（设备 ${device.id}${reading}）/ Sensor alarm: ${label.en}`,
      urgency: 'urgent',
      photos: [],
    },
  );
  return created.id;
}
