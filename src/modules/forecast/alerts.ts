/**
 * Anomaly alerts: a series' count on a day above the upper end of the band it was forecast with
 * (its 95 % prediction interval) is raised once — the unique (series, day) of forecast_alerts —
 * with the cases behind it, and told to the shift leaders' notification channels: the active
 * channels subscribed to `forecast.anomaly` (notify_channels.event_types) whose districts include
 * the area (or that name none). A day of today can be checked while it runs: its count only grows.
 */
import { type Kysely, sql } from 'kysely';
import { anomalies } from '../../domain/forecast/anomaly.js';
import type { Database } from '../../platform/db/schema.js';
import { type Channel, notify } from '../outbound/notify.js';
import { casesOfDay, dailyCounts, keysOf } from './counts.js';

export const ANOMALY_EVENT = 'forecast.anomaly';

export interface RaisedAlert {
  id: string;
  categoryKey: string;
  areaCode: string;
  day: string;
  actual: number;
  expected: number;
  upper: number;
  caseIds: string[];
  notified: number;
}

/** Checks the series that have a band on `day`; returns the alerts newly raised. */
export async function checkAlerts(
  db: Kysely<Database>,
  day: string,
  smsGatewayUrl: string | null,
): Promise<RaisedAlert[]> {
  const bands = await db
    .selectFrom('forecast_bands')
    .select(['category_key', 'area_code', 'day', 'point', 'upper', 'method'])
    .where('day', '=', day)
    .execute();
  if (bands.length === 0) return [];
  const observed = new Map<string, number>();
  for (const r of await dailyCounts(db, day, day)) {
    for (const key of keysOf(r)) observed.set(key, (observed.get(key) ?? 0) + r.n);
  }
  const raised: RaisedAlert[] = [];
  for (const b of bands) {
    const key = `${b.category_key}|${b.area_code}`;
    const [hit] = anomalies(new Map([[day, observed.get(key) ?? 0]]), [
      { day, point: b.point, upper: b.upper },
    ]);
    if (!hit) continue;
    const caseIds = await casesOfDay(db, b.category_key, b.area_code, day);
    const row = await db
      .insertInto('forecast_alerts')
      .values({
        category_key: b.category_key,
        area_code: b.area_code,
        day,
        actual: hit.actual,
        expected: hit.expected,
        upper: hit.upper,
        method: b.method,
        case_ids: caseIds,
      })
      .onConflict((oc) => oc.columns(['category_key', 'area_code', 'day']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) continue;
    const alert: RaisedAlert = {
      id: String(row.id),
      categoryKey: b.category_key,
      areaCode: b.area_code,
      day,
      actual: hit.actual,
      expected: hit.expected,
      upper: hit.upper,
      caseIds,
      notified: 0,
    };
    alert.notified = await tellShiftLeaders(db, alert, smsGatewayUrl);
    await db
      .updateTable('forecast_alerts')
      .set({ notified: alert.notified })
      .where('id', '=', alert.id)
      .execute();
    raised.push(alert);
  }
  return raised;
}

async function names(db: Kysely<Database>, a: RaisedAlert) {
  let category = '全部类别';
  if (a.categoryKey !== '*') {
    const [kind, code] = a.categoryKey.split(':') as [string, string];
    const c = await db
      .selectFrom('categories')
      .select('name')
      .where('kind', '=', kind as 'event' | 'component')
      .where('code', '=', code)
      .where('level', '=', 'major')
      .executeTakeFirst();
    category = c?.name ?? a.categoryKey;
  }
  let area = '全市';
  if (a.areaCode !== '*') {
    const d = await sql<{ name: string }>`SELECT name FROM divisions WHERE code = ${a.areaCode}`.execute(db);
    area = d.rows[0]?.name ?? a.areaCode;
  }
  return { category, area };
}

/** Sends the alert to every subscribed channel of its area; answers how many took it. */
async function tellShiftLeaders(
  db: Kysely<Database>,
  a: RaisedAlert,
  smsGatewayUrl: string | null,
): Promise<number> {
  const district = a.areaCode === '*' ? null : a.areaCode.slice(0, 6);
  const channels = await db
    .selectFrom('notify_channels')
    .select(['id', 'kind', 'url', 'secret', 'phones'])
    .where('active', '=', true)
    .where(sql<boolean>`${ANOMALY_EVENT} = ANY (event_types)`)
    .where(
      district === null
        ? sql<boolean>`cardinality(district_codes) = 0`
        : sql<boolean>`(cardinality(district_codes) = 0 OR ${district} = ANY (district_codes))`,
    )
    .orderBy('id')
    .execute();
  if (channels.length === 0) return 0;
  const { category, area } = await names(db, a);
  const numbers =
    a.caseIds.length === 0
      ? []
      : (
          await db
            .selectFrom('cases')
            .select('number')
            .where(
              'id',
              'in',
              a.caseIds.slice(0, 10).map((id) => Number(id)),
            )
            .orderBy('reported_at', 'desc')
            .execute()
        ).map((r) => r.number);
  const text = [
    `【案件量异常】${a.day} ${area}「${category}」已上报 ${a.actual} 件，预测 ${a.expected.toFixed(1)} 件，超出预测区间上限 ${a.upper.toFixed(1)} 件。`,
    ...(numbers.length > 0
      ? [`案卷：${numbers.join('、')}${a.caseIds.length > numbers.length ? ' 等' : ''}`]
      : []),
  ].join('\n');
  let told = 0;
  for (const c of channels) {
    const channel: Channel = { id: c.id, kind: c.kind, url: c.url, secret: c.secret, phones: c.phones };
    const outcome = await notify(db, channel, { subject: `${ANOMALY_EVENT}:${a.id}`, text }, smsGatewayUrl);
    if (outcome.outcome !== 'failed') told++;
  }
  return told;
}
