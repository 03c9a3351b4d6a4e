/**
 * Files a report (上报 or 自行处置) in ONE statement: the case row with its number and its state
 * after the creating transition, the event, the evaluation facts' case and step rows, the photos
 * and the audit row are data-modifying CTEs of one INSERT, whose RETURNING also carries the
 * possible duplicates. A single statement is atomic by itself, so outside a unit of work there is
 * no BEGIN/COMMIT either: one round trip files the case (issue 12's lean intake).
 *
 * Everything the transition computes (time-limit clock, counters, payload, facts) is worked out
 * before the statement from reference data held in memory, by the same code advance() uses
 * (transitionOf, creatingEventFactsSql), so a filed report is what a report followed by
 * advance() used to write.
 */
import { type Kysely, sql } from 'kysely';
import type { DecideOk } from '../../domain/workflow/index.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { PREPARE } from '../../platform/db/store.js';
import { creatingEventFactsSql } from '../evaluation/facts/store.js';
import { announceCaseChange } from '../live/notify.js';
import { factsEvent, type Transition, type TransitionBase, transitionOf } from './advance.js';
import { type DuplicateRules, duplicatesJson } from './duplicates.js';
import { type CaseNumberSeries, type CaseRow, caseNumberSql } from './repo.js';
import type { CreateCaseInput } from './schema.js';

export interface Report {
  actor: Actor;
  meta: RequestMeta;
  input: CreateCaseInput;
  action: 'report' | 'self_handle';
  decision: DecideOk;
  category: { id: number; code: string; name: string; parent_id: number | null };
  grid: {
    code: string;
    area_class: 'A' | 'B' | 'C';
    community_code: string;
    street_code: string;
    district_code: string;
  };
  versionId: number | null;
  afterPhotos: readonly string[] | null;
  duplicates: DuplicateRules | undefined;
  now: Date;
}

type Near = Array<{ id: number; number: string; distance_m: number }>;

/** The case as the new case starts from: no step running, nothing counted, version 1. */
const BLANK: Omit<TransitionBase, 'standard_version_id' | 'category_id' | 'area_class' | 'urgency'> = {
  counters: {},
  last_seq: 0,
  version: 1,
  closed_at: null,
  step: null,
  step_no: 0,
  step_started_at: null,
  step_limit: null,
  step_calendar_id: null,
  step_suspensions: [],
  step_extensions: [],
  step_yellow_at: null,
  step_deadline: null,
  light: null,
};

/**
 * Files the report with the number taken from `sequence` (caseNumberSequence), in `db`'s
 * transaction if it is one (a unit of work), else as one autocommitted statement.
 */
export async function fileReport(
  db: Kysely<Database>,
  r: Report,
  series: CaseNumberSeries,
  sequence: string,
): Promise<{ row: CaseRow; near: Near | null }> {
  const { actor, input, now } = r;
  const actorId = actor.userId > 0 ? actor.userId : null;
  const transition: Transition = {
    actorId,
    actorRole: actor.role,
    action: r.action,
    decision: r.decision,
    reason: null,
    // The number is added by the statement (it is taken there).
    payload: { source: input.source, ...(r.afterPhotos ? { afterPhotos: r.afterPhotos } : {}) },
    set: {},
    photos: null,
    extension: null,
    bumpVersion: false,
    now,
  };
  const written = await transitionOf(
    db,
    {
      ...BLANK,
      standard_version_id: r.versionId,
      category_id: r.category.id,
      area_class: r.grid.area_class,
      urgency: input.urgency,
    },
    transition,
  );
  const head = {
    reportedAt: now,
    source: input.source,
    kind: input.kind,
    categoryId: r.category.id,
    categoryCode: r.category.code,
    areaClass: r.grid.area_class,
    gridCode: r.grid.code,
    communityCode: r.grid.community_code,
    streetCode: r.grid.street_code,
    districtCode: r.grid.district_code,
  };
  const [caseFacts, stepFacts] = creatingEventFactsSql(head, factsEvent(transition, written), 'c');
  const filed = db
    .insertInto('cases')
    .values({
      number: caseNumberSql(series, sequence),
      source: input.source,
      kind: input.kind,
      category_id: r.category.id,
      standard_version_id: r.versionId,
      component_code: input.componentCode ?? null,
      grid_code: r.grid.code,
      community_code: r.grid.community_code,
      street_code: r.grid.street_code,
      district_code: r.grid.district_code,
      area_class: r.grid.area_class,
      location: sql<string>`ST_SetSRID(ST_MakePoint(${input.lng}, ${input.lat}), 4326)`,
      address: input.address,
      description: input.description,
      urgency: input.urgency,
      reporter_name: input.reporterName ?? null,
      reporter_phone: input.reporterPhone ?? null,
      reported_by: actorId,
      reporter_role: actor.role,
      reported_at: now,
      ...written.columns,
      state: r.decision.to,
    })
    .returningAll()
    .returning(
      r.duplicates
        ? duplicatesJson(
            db,
            actor,
            { lng: input.lng, lat: input.lat, reportedAt: now, categoryId: r.category.id },
            r.duplicates,
          ).as('possible_duplicates')
        : sql<Near | null>`null::json`.as('possible_duplicates'),
    );
  const photos = [
    ...[...new Set(input.photos)].map((sha) => [sha, 'before']),
    ...[...new Set(r.afterPhotos ?? [])].map((sha) => [sha, 'after']),
  ];
  const photoRows =
    photos.length === 0
      ? sql``
      : sql`, p AS (INSERT INTO case_photos (case_id, sha256, phase, event_seq)
          SELECT c.id, x.sha, x.phase, ${written.seq}::int
          FROM c, unnest(${photos.map((p) => p[0])}::text[], ${photos.map((p) => p[1])}::text[]) AS x (sha, phase)
          ON CONFLICT DO NOTHING)`;
  const result = await sql<
    Omit<CaseRow, 'lng' | 'lat'> & { possible_duplicates: Near | null }
  >`${sql.raw(PREPARE)}
    WITH c AS (${filed}),
    e AS (INSERT INTO case_events (case_id, seq, action, actor_id, actor_role, from_state, to_state, reason, payload, at)
      SELECT c.id, ${written.seq}::int, ${r.action}, ${actorId}::int, ${actor.role}, ${r.decision.from}::text,
        ${r.decision.to}, NULL, ${JSON.stringify(written.payload)}::jsonb || jsonb_build_object('number', c.number),
        ${now}::timestamptz
      FROM c),
    cf AS (${caseFacts}),
    sf AS (${stepFacts}),
    a AS (INSERT INTO audit_log (actor_id, actor_name, action, target, outcome, ip, request_id, details)
      SELECT ${actorId}::int, ${actor.username}, ${`case.${r.action}`}, 'case:' || c.number, 'ok',
        ${r.meta.ip}, ${r.meta.requestId}, '{}'::jsonb
      FROM c)${photoRows}
    SELECT * FROM c`.execute(db);
  const inserted = result.rows[0];
  if (!inserted) throw new Error('the report was not filed');
  const { possible_duplicates: near, ...stored } = inserted;
  announceCaseChange(db, { id: stored.id, number: stored.number, action: r.action });
  // The row as caseQuery reads it, from what is known (a new case has no department yet).
  const row: CaseRow = {
    ...stored,
    category_code: r.category.code,
    category_name: r.category.name,
    category_parent_id: r.category.parent_id,
    department_code: null,
    department_name: null,
    department_path: null,
    handler_name: null,
    handler_department_code: null,
    handler_department_name: null,
    lng: input.lng,
    lat: input.lat,
  };
  return { row, near };
}
