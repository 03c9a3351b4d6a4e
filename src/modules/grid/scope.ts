/**
 * A point outside the actor's area is not "in no grid": it says where the point is and which
 * area the actor serves, so a hotline operator knows to hand the call over.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { locatePoint } from './repo.js';

/** LOCATION_OUT_OF_SCOPE when another area's grid covers the point, else null (no grid at all). */
export async function outOfScopeError(
  db: Kysely<Database>,
  actor: Pick<Actor, 'scopePrefix' | 'divisionCode'>,
  lng: number,
  lat: number,
  at?: string,
): Promise<AppError | null> {
  const hit = await locatePoint(db, lng, lat, '', at);
  if (!hit) return null;
  const own = actor.divisionCode
    ? await db
        .selectFrom('divisions')
        .select(['code', 'name'])
        .where('code', '=', actor.divisionCode)
        .executeTakeFirst()
    : undefined;
  const area = own?.name ?? actor.scopePrefix;
  const where = `${hit.district_name}${hit.street_name}`;
  return new AppError('LOCATION_OUT_OF_SCOPE', {
    details: {
      lng,
      lat,
      gridCode: hit.code,
      district: { code: hit.district_code, name: hit.district_name },
      scope: { code: own?.code ?? actor.scopePrefix, name: own?.name ?? null },
    },
    message: {
      zh: `该位置在${where}，不在您的辖区（${area}）内，请转交该区受理`,
      en: `This point is in ${where}, outside your area (${area}); hand it over to that district`,
    },
  });
}
