/**
 * The live simulation of the demo city (issue 13, "A living demo"): supervisors on duty ride
 * their communities and upload their tracks, reports come in every few seconds from every
 * channel, and the centre, the departments and the supervisors move cases through the loop.
 *
 * Everything goes through the services a person's request would (patrol, cases, media), with
 * the actor of the post that acts, so the state machine, the clocks, the audit log and the live
 * stream behave exactly as for real work. One step at a time on one loop: the embedded store
 * runs on the main thread, and a few small transactions a second leave it to the requests.
 */
import { type Kysely, sql } from 'kysely';
import { buildContext, type ClassInfo, type GridInfo, sample } from '../../domain/history/context.js';
import type { CaseState } from '../../domain/workflow/index.js';
import type { Actor, Ctx } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/schema.js';
import type { Store } from '../../platform/db/store.js';
import { AppError } from '../../platform/errors.js';
import { demoCityOf, lookups } from '../../seed/history.js';
import { actOnCase, createCase } from '../cases/commands.js';
import type { ActionInput, CreateCaseInput, EndpointAction } from '../cases/schema.js';
import { activeScheme } from '../catalog/scheme.js';
import { dispatchSuggestions } from '../dispatch/suggest.js';
import { storeMedia } from '../media/service.js';
import type { PositionInput } from '../patrol/schema.js';
import { setDuty, uploadPositions } from '../patrol/service.js';
import { portalCtx } from '../public/portal.js';
import { type Cast, deskFor, loadCast } from './cast.js';
import { scenePng } from './photo.js';
import { BRANCH, pickChannel, waitMs } from './policy.js';

export interface LiveSimOptions {
  /** Where media files go (the server's DATA_DIR). */
  readonly dataDir: string;
  /** Time compression of the staff's waits (2 = twice as fast). */
  readonly pace?: number;
  /** Mean interval between new reports. */
  readonly reportEveryMs?: number;
  /** Interval between position fixes of the supervisors on duty. */
  readonly patrolEveryMs?: number;
  /** Supervisors on duty. */
  readonly walkers?: number;
  readonly tickMs?: number;
  /** Case actions per tick at most (default 3 every 2 s: about what the reports bring in). */
  readonly actionsPerTick?: number;
  readonly random?: () => number;
  readonly log?: (message: string, err?: unknown) => void;
}

export interface LiveSimStats {
  running: boolean;
  startedAt: string | null;
  onDuty: number;
  reports: number;
  actions: number;
  positions: number;
  /** Actions the services refused (a person acted first, a guard failed): skipped, not retried. */
  refused: number;
}

export interface LiveSimulation {
  stats(): LiveSimStats;
  /** Ends the loop after the step in progress and takes the supervisors off duty. */
  stop(): Promise<void>;
}

const META = { ip: null, requestId: null, userAgent: 'cityloop-demo-simulation' };
/** Fixes are sent from a moving e-bike (most 监督员 patrol on one): metres a second. */
const SPEED_MS = 4;
const M_PER_DEG_LAT = 111_320;
/** Fixes per upload (one every `patrolEveryMs`). */
const FIXES_PER_UPLOAD = 2;

const DESCRIPTIONS = [
  '现场发现，请尽快处置',
  '市民反映多次，影响通行',
  '位置靠近路口，存在安全隐患',
  '早晚高峰人流较大，请优先处理',
  '周边商户反映，影响市容',
];

interface Walker {
  actor: Actor;
  grids: GridInfo[];
  lng: number;
  lat: number;
  target: [number, number];
  outbox: PositionInput[];
}

interface Env {
  cast: Cast;
  world: ReturnType<typeof buildContext>;
  places: Map<string, { place: string }>;
  classes: ClassInfo[];
  classCumulative: Float64Array;
  classByKey: Map<string, ClassInfo>;
  gridByCode: Map<string, GridInfo>;
  departments: { code: string; scope_prefix: string }[];
  photo: () => string;
}

const inside = (g: GridInfo, lng: number, lat: number) =>
  lng >= g.minLng && lng <= g.minLng + g.spanLng && lat >= g.minLat && lat <= g.minLat + g.spanLat;

interface Candidate {
  id: number;
  version: number;
  state: CaseState;
  pending_kind: string | null;
  grid_code: string;
  district_code: string;
  kind: 'component' | 'event';
  category_code: string;
  department_path: string | null;
  department_code: string | null;
  source: string;
  reporter_role: string;
  updated_at: Date;
  last_seq: number;
  counters: unknown;
}

const ctxOf = (db: Kysely<Database>, actor: Actor): Ctx => ({ db, actor, meta: META });
const pointIn = (g: GridInfo, random: () => number): [number, number] => [
  Math.round((g.minLng + random() * g.spanLng) * 1e6) / 1e6,
  Math.round((g.minLat + random() * g.spanLat) * 1e6) / 1e6,
];

/**
 * The most recently moved open cases (the live ones), and now and then a few of those waiting
 * longest (the backlog the history left). Kept to one cheap scan: it runs every tick.
 */
async function openCandidates(db: Kysely<Database>, backlog: boolean): Promise<Candidate[]> {
  const query = (order: 'ASC' | 'DESC', limit: number) =>
    sql<Candidate>`
    SELECT c.id, c.version, c.state, c.pending_kind, c.grid_code, c.district_code, c.kind,
           cat.code AS category_code, d.path AS department_path, d.code AS department_code,
           c.source, c.reporter_role,
           c.updated_at, c.last_seq, c.counters
    FROM cases c JOIN categories cat ON cat.id = c.category_id
    LEFT JOIN departments d ON d.id = c.department_id
    WHERE c.state NOT IN ('rejected', 'closed', 'voided', 'merged')
    ORDER BY c.updated_at ${sql.raw(order)} LIMIT ${limit}`.execute(db);
  const recent = await query('DESC', 30);
  const oldest = backlog ? await query('ASC', 10) : { rows: [] };
  const seen = new Set<number>();
  return [...recent.rows, ...oldest.rows].filter((c) => !seen.has(c.id) && seen.add(c.id));
}

/** The department a returned case came back from (it is not sent there again). */
async function lastDepartment(db: Kysely<Database>, caseId: number): Promise<string | null> {
  const row = await sql<{ code: string | null }>`
    SELECT payload #>> '{department,code}' AS code FROM case_events
    WHERE case_id = ${caseId} AND action IN ('dispatch', 'settle_ownership')
    ORDER BY seq DESC LIMIT 1`.execute(db);
  return row.rows[0]?.code ?? null;
}

async function verificationDenied(db: Kysely<Database>, caseId: number): Promise<boolean> {
  const row = await db
    .selectFrom('case_events')
    .select('action')
    .where('case_id', '=', caseId)
    .where('action', 'in', ['verify', 'deny'])
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  return row?.action === 'deny';
}

export function startLiveSimulation(store: Store, o: LiveSimOptions): LiveSimulation {
  const db = store.db;
  const random = o.random ?? Math.random;
  const pace = o.pace ?? 1;
  const tickMs = o.tickMs ?? 2000;
  const log = o.log ?? (() => {});
  const stats: LiveSimStats = {
    running: true,
    startedAt: new Date().toISOString(),
    onDuty: 0,
    reports: 0,
    actions: 0,
    positions: 0,
    refused: 0,
  };
  let stopping = false;
  let wake: (() => void) | null = null;
  const walkers: Walker[] = [];

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function setUp(): Promise<Env> {
    const [city, lk, cast] = await Promise.all([demoCityOf(db), lookups(db), loadCast(db)]);
    const world = buildContext(city);
    // Only classes the active code scheme files (a GB/T 47678 city has other codes).
    const filed = await db
      .selectFrom('categories')
      .select(['kind', 'code'])
      .where('scheme', '=', activeScheme())
      .where('level', 'in', ['minor', 'detail'])
      .where('active', '=', true)
      .execute();
    const fileable = new Set(filed.map((c) => `${c.kind}:${c.code}`));
    const classes = world.classes.filter((c) => fileable.has(`${c.cls.kind}:${c.code}`));
    const classCumulative = new Float64Array(classes.length);
    let total = 0;
    classes.forEach((c, i) => {
      total += c.weight;
      classCumulative[i] = total;
    });
    const photos: string[] = [];
    const photoCtx = ctxOf(db, cast.channels.hotline_12345);
    const hues: [number, number, number][] = [
      [214, 92, 56],
      [70, 150, 90],
      [230, 190, 60],
    ];
    for (const [i, hue] of hues.entries())
      photos.push((await storeMedia(photoCtx, o.dataDir, 'image/png', scenePng(hue, i))).sha256);
    const departments = await db
      .selectFrom('departments as d')
      .innerJoin('divisions as v', 'v.code', 'd.division_code')
      .select(['d.code', 'v.scope_prefix'])
      .where('d.active', '=', true)
      .execute();
    return {
      cast,
      world,
      places: lk.grids,
      classes,
      classCumulative,
      classByKey: new Map(classes.map((c) => [`${c.cls.kind}:${c.code}`, c])),
      gridByCode: new Map(world.grids.map((g) => [g.code, g])),
      departments,
      photo: () => photos[Math.floor(random() * photos.length)] as string,
    };
  }

  /** Supervisors on duty: spread over the communities, the named login first. */
  async function goOnDuty(env: Env) {
    const gridsOf = new Map<number, GridInfo[]>();
    for (const [code, actor] of env.cast.supervisorOfGrid) {
      const g = env.gridByCode.get(code);
      if (g) gridsOf.set(actor.userId, [...(gridsOf.get(actor.userId) ?? []), g]);
    }
    const all = env.cast.supervisors.filter((a) => gridsOf.has(a.userId));
    const ordered = [
      ...all.filter((a) => a.username === 'supervisor'),
      ...all.filter((a) => a.username !== 'supervisor'),
    ];
    const wanted = Math.min(o.walkers ?? 16, ordered.length);
    const stride = ordered.length / Math.max(1, wanted);
    for (let i = 0; i < wanted && !stopping; i++) {
      const actor = ordered[Math.floor(i * stride)] as Actor;
      const grids = gridsOf.get(actor.userId) as GridInfo[];
      const start = pointIn(pick(grids) as GridInfo, random);
      await setDuty(ctxOf(db, actor), true);
      walkers.push({
        actor,
        grids,
        lng: start[0],
        lat: start[1],
        target: pointIn(pick(grids) as GridInfo, random),
        outbox: [],
      });
      stats.onDuty = walkers.length;
    }
  }

  async function run() {
    const env = await setUp();
    await goOnDuty(env);
    const patrolEvery = o.patrolEveryMs ?? 5000;
    let nextPatrol = 0;
    let nextReport = Date.now() + 1000;
    while (!stopping) {
      const t0 = Date.now();
      if (t0 >= nextPatrol) {
        await patrol(patrolEvery);
        nextPatrol = t0 + patrolEvery;
      }
      if (t0 >= nextReport && !stopping) {
        await guarded(() => report(env));
        nextReport = Date.now() + ((o.reportEveryMs ?? 5000) * (0.4 + 1.2 * random())) / pace;
      }
      if (!stopping) await work(env);
      await sleep(Math.max(50, tickMs - (Date.now() - t0)));
    }
  }

  async function guarded(step: () => Promise<unknown>): Promise<boolean> {
    try {
      await step();
      return true;
    } catch (err) {
      stats.refused++;
      if (!(err instanceof AppError)) log('demo simulation step failed', err);
      return false;
    }
  }

  let round = 0;
  async function patrol(everyMs: number) {
    const now = new Date();
    round++;
    for (const [i, w] of walkers.entries()) {
      if (stopping) return;
      const dLng = (w.target[0] - w.lng) * M_PER_DEG_LAT * Math.cos((w.lat * Math.PI) / 180);
      const dLat = (w.target[1] - w.lat) * M_PER_DEG_LAT;
      const dist = Math.hypot(dLng, dLat);
      const step = (SPEED_MS * everyMs) / 1000;
      if (dist <= step) {
        [w.lng, w.lat] = w.target;
        w.target = pointIn(w.grids[Math.floor(random() * w.grids.length)] as GridInfo, random);
      } else {
        w.lng += ((w.target[0] - w.lng) * step) / dist;
        w.lat += ((w.target[1] - w.lat) * step) / dist;
      }
      const heading = ((Math.atan2(dLng, dLat) * 180) / Math.PI + 360) % 360;
      const fix = {
        at: now.toISOString(),
        lng: Math.round(w.lng * 1e6) / 1e6,
        lat: Math.round(w.lat * 1e6) / 1e6,
        accuracyM: 5 + Math.round(random() * 10),
        speed: SPEED_MS,
        heading: heading >= 360 ? 0 : heading,
        crs: 'wgs84' as const,
      };
      // The field app sends its fixes in small batches, as a phone saving battery does; the
      // walkers take turns, so each round has a share of the uploads.
      w.outbox.push(fix);
      if ((round + i) % FIXES_PER_UPLOAD === 0) {
        const batch = w.outbox.splice(0);
        if (await guarded(() => uploadPositions(ctxOf(db, w.actor), batch))) stats.positions += batch.length;
      }
    }
  }

  async function report(env: Env) {
    const channel = pickChannel(random());
    const info = env.classes[sample(env.classCumulative, random())];
    if (!info) return;
    const walker = pick(walkers);
    let lng: number;
    let lat: number;
    let grid: GridInfo;
    let ctx: Ctx;
    if (channel === 'supervisor' && walker) {
      [lng, lat] = [Math.round(walker.lng * 1e6) / 1e6, Math.round(walker.lat * 1e6) / 1e6];
      grid = walker.grids.find((g) => inside(g, lng, lat)) ?? (walker.grids[0] as GridInfo);
      ctx = ctxOf(db, walker.actor);
    } else {
      grid = env.world.grids[sample(env.world.gridCumulative, random())] as GridInfo;
      [lng, lat] = pointIn(grid, random);
      if (channel === 'public') ctx = await portalCtx(db, META);
      else if (channel === 'hotline_12345' || channel === 'video_ai' || channel === 'iot')
        ctx = ctxOf(db, env.cast.channels[channel]);
      else if (channel === 'leader' && env.cast.leader) ctx = ctxOf(db, env.cast.leader);
      else {
        const intake = pick(env.cast.centre.get(grid.districtCode)?.intake ?? []);
        if (!intake) return;
        ctx = ctxOf(db, intake);
      }
    }
    const source =
      channel === 'supervisor' && !walker
        ? 'hotline_12345'
        : channel === 'leader' && !env.cast.leader
          ? 'media'
          : channel;
    const input: CreateCaseInput = {
      source,
      kind: info.cls.kind,
      categoryCode: info.code,
      lng,
      lat,
      address: `${env.places.get(grid.code)?.place ?? '城区'} ${grid.code} 网格附近`,
      description: `${info.cls.minorName}，${pick(DESCRIPTIONS)}`,
      urgency: info.urgency,
      // A hotline call comes without a photo; every other channel sends one.
      photos: source === 'hotline_12345' ? [] : [env.photo()],
      ...(source === 'hotline_12345'
        ? {
            reporterName: '市民',
            reporterPhone: `1380000${String(Math.floor(random() * 10000)).padStart(4, '0')}`,
          }
        : {}),
    };
    await createCase(ctx, input);
    stats.reports++;
  }

  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];

  let ticks = 0;
  async function work(env: Env) {
    const now = Date.now();
    ticks++;
    const due = (await openCandidates(db, ticks % 10 === 0)).filter((c) => {
      const wait = waitMs(c.state, c.pending_kind !== null, c.id, c.last_seq, pace);
      return wait !== null && new Date(c.updated_at).getTime() + wait <= now;
    });
    let acted = 0;
    for (const c of due) {
      if (stopping || acted >= (o.actionsPerTick ?? 3)) return;
      const planned = await nextStep(c, env);
      if (!planned) continue;
      const ok = await guarded(() =>
        actOnCase(ctxOf(db, planned.actor), c.id, planned.action, { version: c.version, ...planned.input }),
      );
      if (ok) stats.actions++;
      acted++;
    }
  }

  type Step = { actor: Actor; action: EndpointAction; input: Omit<ActionInput, 'version'> };

  /** What the post in charge does next with the case, and who that is; null: nobody can now. */
  async function nextStep(c: Candidate, env: Env): Promise<Step | null> {
    const { cast, photo } = env;
    const posts = cast.centre.get(c.district_code);
    const intake = posts && pick(posts.intake);
    const shift = posts && pick(posts.shift_leader);
    const dispatcher = posts && pick(posts.dispatcher);
    const supervisor = cast.supervisorOfGrid.get(c.grid_code);
    const desk = deskFor(cast, c.department_path);
    const step = (
      actor: Actor | undefined | null,
      action: EndpointAction,
      input: Omit<ActionInput, 'version'> = {},
    ): Step | null => (actor ? { actor, action, input } : null);
    const counters = (typeof c.counters === 'string' ? JSON.parse(c.counters) : (c.counters ?? {})) as Record<
      string,
      number
    >;
    switch (c.pending_kind) {
      case 'return':
        return random() < BRANCH.returnApprove
          ? step(dispatcher, 'return_approve', { reason: '同意回退，重新派遣' })
          : step(dispatcher, 'return_deny', { reason: '属于本单位职责，请继续处置' });
      case 'extend':
        return step(dispatcher, 'extend_approve');
      case 'suspend':
        return step(dispatcher, 'suspend_approve');
      case 'void':
        return step(shift, 'void_approve');
    }
    const r = random();
    switch (c.state) {
      case 'reported':
        if (r < BRANCH.reject) return step(shift, 'reject', { reason: '不属于城管受理范围' });
        return c.reporter_role === 'supervisor' || c.source === 'leader'
          ? step(intake, 'intake')
          : step(intake, 'request_verification');
      case 'verifying':
        return r < BRANCH.deny
          ? step(supervisor, 'deny', { reason: '现场核实问题不存在', photos: [photo()] })
          : step(supervisor, 'verify', { photos: [photo()] });
      case 'pending_filing':
        return (await verificationDenied(db, c.id))
          ? step(shift, 'reject', { reason: '核实不属实' })
          : step(shift, 'file');
      case 'filed':
      case 'ownership_dispute': {
        const actor = c.state === 'filed' ? dispatcher : cast.coordinator;
        const department = actor && (await departmentFor(c, env, actor, (counters.return ?? 0) > 0));
        if (!department) return null;
        return step(actor, c.state === 'filed' ? 'dispatch' : 'settle_ownership', {
          departmentCode: department,
        });
      }
      case 'dispatched':
        return r < BRANCH.returnRequest && !(counters.return ?? 0)
          ? step(desk, 'return_request', { reason: '不属于本单位职责' })
          : step(desk, 'sign');
      case 'handling':
        if (r < BRANCH.extendRequest && !(counters.extension ?? 0))
          return step(desk, 'extend_request', {
            reason: '需协调作业车辆，申请延期',
            amount: 1,
            unit: 'working_days',
          });
        if (r < BRANCH.extendRequest + BRANCH.suspendRequest && !(counters.suspension ?? 0))
          return step(desk, 'suspend_request', { reason: '需协调资金，暂缓处置' });
        return step(desk, 'feedback', { photos: [photo()] });
      case 'handled':
        return step(intake, 'request_check');
      case 'checking':
        return r < BRANCH.checkFail
          ? step(supervisor, 'check_fail', { reason: '现场仍未处理到位，请返工', photos: [photo()] })
          : step(supervisor, 'check_pass', { photos: [photo()] });
      case 'pending_close':
        return step(shift, 'close');
      case 'suspended':
        return step(dispatcher, 'resume');
      default:
        return null;
    }
  }

  /**
   * The unit the history would send the case to (the standards table's unit for the class and
   * place); a returned case goes elsewhere. Failing that, the dispatch rules' first suggestion.
   */
  async function departmentFor(
    c: Candidate,
    env: Env,
    actor: Actor,
    returned: boolean,
  ): Promise<string | null> {
    const info = env.classByKey.get(`${c.kind}:${c.category_code}`);
    const grid = env.gridByCode.get(c.grid_code);
    const serves = new Set(
      env.departments.filter((d) => c.grid_code.startsWith(d.scope_prefix)).map((d) => d.code),
    );
    const choices = info && grid ? [env.world.unitFor(info, grid, random), ...info.departments] : [];
    const previous = returned ? await lastDepartment(db, c.id) : null;
    const fresh = [...new Set(choices)].filter((d) => serves.has(d) && d !== previous);
    if (fresh[0]) return fresh[0];
    const suggested = await dispatchSuggestions(ctxOf(db, actor), c.id).catch(() => null);
    return (
      suggested?.items.find((i) => !(returned && i.department.code === previous))?.department.code ?? null
    );
  }

  const running = run()
    .catch((err) => log('demo simulation stopped', err))
    .finally(() => {
      stats.running = false;
    });

  return {
    stats: () => ({ ...stats }),
    async stop() {
      stopping = true;
      (wake as (() => void) | null)?.();
      await running;
      for (const w of walkers) await setDuty(ctxOf(db, w.actor), false).catch(() => {});
      stats.onDuty = 0;
    },
  };
}

export { dispatchSuggestions as _suggestions };
