/**
 * Demo outsourced collection (信息采集外包): two fictitious companies, one team per district,
 * and every supervisor in the team of his district (those above district level in the first
 * team). Written with the demo city; a database seeded before migration 0015 has none until an
 * administrator adds them (PUT /collection/teams/:code/members) or the city is seeded anew.
 */
import type { Kysely } from 'kysely';
import type { DemoCity } from '../domain/demo-city/index.js';
import type { Database } from '../platform/db/schema.js';

export const DEMO_COMPANIES = [
  { code: 'JCXC', name: '锦城信息采集服务有限公司', contractDailyHours: 8 },
  { code: 'RCCJ', name: '蓉城城市巡查外包有限公司', contractDailyHours: 7.5 },
] as const;

/** Team code of a district's team. */
export const demoTeamCode = (districtCode: string): string => `T${districtCode}`;

export async function seedDemoCollection(db: Kysely<Database>, city: DemoCity): Promise<void> {
  const districts = city.divisions
    .filter((d) => d.level === 'district')
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  if (districts.length === 0) return;
  await db
    .insertInto('collection_companies')
    .values(
      DEMO_COMPANIES.map((c) => ({ code: c.code, name: c.name, contract_daily_hours: c.contractDailyHours })),
    )
    .execute();
  // The first company holds the contract of every district but the last, the second the last.
  await db
    .insertInto('collection_teams')
    .values(
      districts.map((d, i) => ({
        code: demoTeamCode(d.code),
        company_code: (i < Math.max(1, districts.length - 1) ? DEMO_COMPANIES[0] : DEMO_COMPANIES[1]).code,
        name: `${d.name}信息采集作业组`,
      })),
    )
    .execute();
  const supervisors = await db
    .selectFrom('users')
    .select(['id', 'division_code'])
    .where('role', '=', 'supervisor')
    .execute();
  const first = districts[0]?.code as string;
  const known = new Set(districts.map((d) => d.code));
  if (supervisors.length === 0) return;
  await db
    .insertInto('collection_team_members')
    .values(
      supervisors.map((u) => {
        const district = (u.division_code ?? '').slice(0, 6);
        return { user_id: u.id, team_code: demoTeamCode(known.has(district) ? district : first) };
      }),
    )
    .execute();
}
