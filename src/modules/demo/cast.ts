/**
 * Who the live simulation acts as: the demo city's own staff (supervisors of their communities,
 * the centre posts of each district, the coordinator, the leader), plus a few accounts the demo
 * city has no person for — the 12345 hotline, video AI and IoT channels, and a desk in each
 * department that has no department login. Those are created disabled (nobody logs in with
 * them), like the public channel's `public-portal` account, so every event names who wrote it.
 */
import { type Kysely, sql } from 'kysely';
import type { Actor } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { userWithScope } from '../auth/repo.js';
import { toActor } from '../auth/service.js';

export const CHANNEL_ACCOUNTS = {
  hotline_12345: { username: 'sim-12345', name: '12345热线（模拟接入）' },
  video_ai: { username: 'sim-video', name: '视频智能识别（模拟接入）' },
  iot: { username: 'sim-iot', name: '物联感知（模拟接入）' },
} as const;
export type MachineChannel = keyof typeof CHANNEL_ACCOUNTS;

export interface Cast {
  /** Centre posts per district code. */
  centre: Map<string, { intake: Actor[]; shift_leader: Actor[]; dispatcher: Actor[] }>;
  /** Supervisor of each grid. */
  supervisorOfGrid: Map<string, Actor>;
  supervisors: Actor[];
  /** Department desks, longest path first (the nearest one covering a unit wins). */
  departments: Actor[];
  coordinator: Actor | null;
  leader: Actor | null;
  channels: Record<MachineChannel, Actor>;
}

/** Creates the missing accounts (idempotent: a restart finds them). */
async function ensureAccounts(db: Kysely<Database>): Promise<void> {
  for (const { username, name } of Object.values(CHANNEL_ACCOUNTS)) {
    await sql`
      INSERT INTO users (username, display_name, role, kind, division_code, password_hash, disabled)
      SELECT ${username}, ${name}, 'service', 'service', code, '!no-login', true
      FROM divisions WHERE level = 'city' ORDER BY code LIMIT 1
      ON CONFLICT (lower(username)) DO NOTHING`.execute(db);
  }
  // A desk for every top-level department without a department login of its own.
  await sql`
    INSERT INTO users (username, display_name, role, department_id, password_hash, disabled)
    SELECT 'sim-' || lower(d.code), left(d.name, 50) || '值守（模拟）', 'department', d.id, '!no-login', true
    FROM departments d
    WHERE d.active AND d.parent_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM users u WHERE u.department_id = d.id AND u.role = 'department')
      AND lower(d.code) ~ '^[a-z0-9][a-z0-9._-]{1,35}$'
    ON CONFLICT (lower(username)) DO NOTHING`.execute(db);
}

export async function loadCast(db: Kysely<Database>): Promise<Cast> {
  await ensureAccounts(db);
  const rows = await userWithScope(db)
    .where('u.role', 'in', [
      'supervisor',
      'intake',
      'shift_leader',
      'dispatcher',
      'department',
      'coordinator',
      'leader',
      'service',
    ])
    .execute();
  const actors = rows.filter((r) => r.scope_prefix).map((r) => toActor(r, 'session'));
  const byName = new Map(actors.map((a) => [a.username, a]));
  const centre: Cast['centre'] = new Map();
  for (const a of actors) {
    if ((a.role === 'intake' || a.role === 'shift_leader' || a.role === 'dispatcher') && a.divisionCode) {
      const posts = centre.get(a.divisionCode) ?? { intake: [], shift_leader: [], dispatcher: [] };
      posts[a.role].push(a);
      centre.set(a.divisionCode, posts);
    }
  }
  const grids = await db.selectFrom('supervisor_grids').select(['user_id', 'grid_code']).execute();
  const byId = new Map(actors.map((a) => [a.userId, a]));
  const supervisorOfGrid = new Map<string, Actor>();
  for (const g of grids) {
    const a = byId.get(g.user_id);
    if (a?.role === 'supervisor') supervisorOfGrid.set(g.grid_code, a);
  }
  const channel = (c: MachineChannel) => {
    const a = byName.get(CHANNEL_ACCOUNTS[c].username);
    if (!a) throw new Error(`simulation account ${CHANNEL_ACCOUNTS[c].username} missing`);
    return a;
  };
  return {
    centre,
    supervisorOfGrid,
    supervisors: actors
      .filter((a) => a.role === 'supervisor')
      .sort((a, b) => a.username.localeCompare(b.username)),
    departments: actors
      .filter((a) => a.role === 'department' && a.departmentPath)
      .sort((a, b) => (b.departmentPath?.length ?? 0) - (a.departmentPath?.length ?? 0)),
    coordinator: actors.find((a) => a.role === 'coordinator') ?? null,
    leader: actors.find((a) => a.role === 'leader') ?? null,
    channels: { hotline_12345: channel('hotline_12345'), video_ai: channel('video_ai'), iot: channel('iot') },
  };
}

/** The department desk that covers a unit (its path under the desk's department). */
export function deskFor(cast: Cast, departmentPath: string | null): Actor | undefined {
  if (!departmentPath) return undefined;
  return cast.departments.find((a) => a.departmentPath && departmentPath.startsWith(a.departmentPath));
}
