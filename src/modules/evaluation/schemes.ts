/**
 * Evaluation schemes as data: the shipped ones (national default per subject type, Chengdu
 * 金牛区 for departments) are written on first use, cities add their own. A change adds a
 * version; versions are never edited (the database refuses), so a publication that names the
 * version it used can always be explained. A correction of a shipped scheme comes as a new
 * version written by a migration (0020: the 立案数分值 bands), never as an edit.
 */
import type { Kysely } from 'kysely';
import {
  type EvaluationScheme,
  indicatorsOf,
  NATIONAL_SCHEMES,
  SHIPPED_SCHEMES,
  SUBJECT_TYPES,
  type SubjectType,
  schemeProblems,
} from '../../domain/evaluation/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import type { CreateSchemeInput, SchemeVersionInput } from './schema.js';

const shippedDone = new WeakMap<object, Promise<void>>();

/**
 * Writes the shipped schemes once per database handle (idempotent, safe when raced). A shipped
 * scheme that has versions already is left alone: its latest version is what the city uses
 * (its own edits, or a correction a migration added), and the code's definition is only the
 * first version of a database that never had the scheme.
 */
export function ensureShippedSchemes(db: Kysely<Database>): Promise<void> {
  let p = shippedDone.get(db);
  if (!p) {
    p = (async () => {
      for (const s of SHIPPED_SCHEMES) {
        await db
          .insertInto('evaluation_schemes')
          .values({ id: s.id, subject_type: s.subjectType, shipped: true })
          .onConflict((oc) => oc.doNothing())
          .execute();
        const any = await db
          .selectFrom('evaluation_scheme_versions')
          .select('version')
          .where('scheme_id', '=', s.id)
          .limit(1)
          .executeTakeFirst();
        if (any) continue;
        await db
          .insertInto('evaluation_scheme_versions')
          .values({
            scheme_id: s.id,
            version: s.version,
            name_zh: s.name.zh,
            name_en: s.name.en,
            indicators: JSON.stringify(s.indicators),
            grades: JSON.stringify(s.grades),
            note: null,
            created_by: null,
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    })();
    p.catch(() => shippedDone.delete(db));
    shippedDone.set(db, p);
  }
  return p;
}

interface VersionRow {
  scheme_id: string;
  subject_type: string;
  shipped: boolean;
  version: number;
  name_zh: string;
  name_en: string;
  indicators: unknown;
  grades: unknown;
  note: string | null;
  created_at: Date;
}

function versionsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('evaluation_scheme_versions as v')
    .innerJoin('evaluation_schemes as s', 's.id', 'v.scheme_id')
    .select([
      'v.scheme_id',
      's.subject_type',
      's.shipped',
      'v.version',
      'v.name_zh',
      'v.name_en',
      'v.indicators',
      'v.grades',
      'v.note',
      'v.created_at',
    ]);
}

const toScheme = (r: VersionRow): EvaluationScheme => ({
  id: r.scheme_id,
  version: r.version,
  name: { zh: r.name_zh, en: r.name_en },
  subjectType: r.subject_type as SubjectType,
  indicators: r.indicators as EvaluationScheme['indicators'],
  grades: r.grades as EvaluationScheme['grades'],
});

const present = (r: VersionRow) => ({
  ...toScheme(r),
  shipped: r.shipped,
  note: r.note,
  createdAt: r.created_at.toISOString(),
});

/** The given version, or the latest, of a scheme (default: the national one of the type). */
export async function resolveScheme(
  db: Kysely<Database>,
  type: SubjectType,
  id?: string,
  version?: number,
): Promise<EvaluationScheme> {
  await ensureShippedSchemes(db);
  const schemeId = id ?? NATIONAL_SCHEMES[type].id;
  let q = versionsQuery(db).where('v.scheme_id', '=', schemeId);
  q = version === undefined ? q.orderBy('v.version', 'desc').limit(1) : q.where('v.version', '=', version);
  const row = await q.executeTakeFirst();
  if (!row)
    throw new AppError('EVALUATION_SCHEME_UNKNOWN', {
      details: { scheme: schemeId, version: version ?? null },
    });
  if (row.subject_type !== type)
    throw new AppError('EVALUATION_SCHEME_SUBJECT_MISMATCH', {
      details: { scheme: schemeId, schemeSubjectType: row.subject_type, subjectType: type },
    });
  return toScheme(row);
}

/** Latest version of every scheme. */
export async function listSchemes(ctx: Ctx, type?: SubjectType) {
  requirePermission(ctx.actor, 'evaluation.read');
  await ensureShippedSchemes(ctx.db);
  let q = versionsQuery(ctx.db)
    .where((eb) =>
      eb(
        'v.version',
        '=',
        eb
          .selectFrom('evaluation_scheme_versions as w')
          .select((e) => e.fn.max('w.version').as('m'))
          .whereRef('w.scheme_id', '=', 'v.scheme_id'),
      ),
    )
    .orderBy('s.subject_type')
    .orderBy('v.scheme_id');
  if (type) q = q.where('s.subject_type', '=', type);
  const rows = await q.execute();
  return {
    items: rows.map(present),
    indicators: Object.fromEntries(SUBJECT_TYPES.map((t) => [t, indicatorsOf(t)])),
  };
}

export async function schemeVersions(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'evaluation.read');
  await ensureShippedSchemes(ctx.db);
  const rows = await versionsQuery(ctx.db).where('v.scheme_id', '=', id).orderBy('v.version').execute();
  if (rows.length === 0) throw new AppError('EVALUATION_SCHEME_UNKNOWN', { details: { scheme: id } });
  return { items: rows.map(present) };
}

function check(
  type: SubjectType,
  content: SchemeVersionInput,
  id: string,
  version: number,
): EvaluationScheme {
  const scheme: EvaluationScheme = {
    id,
    version,
    name: content.name,
    subjectType: type,
    indicators: content.indicators,
    grades: content.grades,
  };
  const problems = schemeProblems(scheme, indicatorsOf(type));
  if (problems.length > 0) throw new AppError('EVALUATION_SCHEME_INVALID', { details: { problems } });
  return scheme;
}

async function insertVersion(db: Kysely<Database>, ctx: Ctx, s: EvaluationScheme, note?: string) {
  await db
    .insertInto('evaluation_scheme_versions')
    .values({
      scheme_id: s.id,
      version: s.version,
      name_zh: s.name.zh,
      name_en: s.name.en,
      indicators: JSON.stringify(s.indicators),
      grades: JSON.stringify(s.grades),
      note: note ?? null,
      created_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
    })
    .execute();
  await db
    .insertInto('audit_log')
    .values({
      actor_id: ctx.actor.userId > 0 ? ctx.actor.userId : null,
      actor_name: ctx.actor.username,
      action: 'evaluation.scheme_version',
      target: `${s.id}@${s.version}`,
      ip: ctx.meta.ip,
      request_id: ctx.meta.requestId,
      details: JSON.stringify({ subjectType: s.subjectType }),
    })
    .execute();
}

/** Schemes are reference data an administrator keeps (catalog-style write permission). */
function requireAdmin(ctx: Ctx) {
  if (ctx.actor.role !== 'admin')
    throw new AppError('FORBIDDEN', { details: { permission: 'evaluation.scheme' } });
}

export async function createScheme(ctx: Ctx, input: CreateSchemeInput) {
  requirePermission(ctx.actor, 'evaluation.publish');
  requireAdmin(ctx);
  await ensureShippedSchemes(ctx.db);
  const scheme = check(input.subjectType, input, input.id, 1);
  await ctx.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('evaluation_schemes')
      .values({ id: input.id, subject_type: input.subjectType })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!r) throw new AppError('EVALUATION_SCHEME_EXISTS', { details: { scheme: input.id } });
    await insertVersion(trx, ctx, scheme, input.note);
  });
  return schemeVersions(ctx, input.id);
}

/** A new version of an existing scheme (the previous ones stay as they were). */
export async function addSchemeVersion(ctx: Ctx, id: string, input: SchemeVersionInput) {
  requirePermission(ctx.actor, 'evaluation.publish');
  requireAdmin(ctx);
  await ensureShippedSchemes(ctx.db);
  await ctx.db.transaction().execute(async (trx) => {
    const head = await trx
      .selectFrom('evaluation_schemes')
      .select(['id', 'subject_type'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!head) throw new AppError('EVALUATION_SCHEME_UNKNOWN', { details: { scheme: id } });
    const last = await trx
      .selectFrom('evaluation_scheme_versions')
      .select((e) => e.fn.max('version').as('m'))
      .where('scheme_id', '=', id)
      .executeTakeFirst();
    const scheme = check(head.subject_type as SubjectType, input, id, Number(last?.m ?? 0) + 1);
    await insertVersion(trx, ctx, scheme, input.note);
  });
  return schemeVersions(ctx, id);
}
