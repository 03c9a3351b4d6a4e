/**
 * Independent check of generated histories: replays every event through the real `decide()`
 * (no cache), deriving the guard facts from the recorded data only — the payload, the city and
 * the cases seen before — and reports anything the case module would have refused or written
 * differently. Used by the tests; the seed command can run it on a sample too.
 */
import { NATIONAL_CLASSES } from '../catalog/classes.js';
import type { DemoCity } from '../demo-city/types.js';
import { decide } from '../workflow/decide.js';
import { type CaseSnapshot, type CaseState, isTerminal } from '../workflow/states.js';
import type { HistoryCase } from './types.js';

const CASE_KEY = /^[0-9]{6}-[0-9]{8}-[CE]-[0-9]{4,}$/;

export class HistoryChecker {
  private readonly grids: ReadonlyMap<
    string,
    { minLng: number; maxLng: number; minLat: number; maxLat: number }
  >;
  private readonly supervisorGrids = new Map<string, ReadonlySet<string>>();
  private readonly departments: ReadonlySet<string>;
  private readonly categories: ReadonlySet<string>;
  /** Every case seen: its events' (at, to) for merge targets. */
  private readonly seen = new Map<string, ReadonlyArray<{ at: number; to: CaseState }>>();

  constructor(city: DemoCity) {
    this.grids = new Map(
      city.grids.map((g) => {
        const lngs = g.ring.map((p) => p[0]);
        const lats = g.ring.map((p) => p[1]);
        const box = {
          minLng: Math.min(...lngs),
          maxLng: Math.max(...lngs),
          minLat: Math.min(...lats),
          maxLat: Math.max(...lats),
        };
        return [g.code, box];
      }),
    );
    for (const u of city.users) if (u.gridCodes) this.supervisorGrids.set(u.username, new Set(u.gridCodes));
    this.departments = new Set(city.departments.map((d) => d.code));
    this.categories = new Set(NATIONAL_CLASSES.map((c) => `${c.kind}:${c.majorCode}${c.minorCode}`));
  }

  /** Problems of one case (empty = valid). Cases must be checked in the order generated. */
  check(h: HistoryCase): string[] {
    const problems: string[] = [];
    const c = h.case;
    const fail = (what: string) => problems.push(`${c.caseKey}: ${what}`);
    if (!CASE_KEY.test(c.caseKey)) fail('malformed case key');
    if (this.seen.has(c.caseKey)) fail('duplicate case key');
    if (!this.categories.has(`${c.kind}:${c.categoryCode}`)) fail(`unknown category ${c.categoryCode}`);
    const box = this.grids.get(c.gridCode);
    if (!box) fail(`unknown grid ${c.gridCode}`);
    else if (c.lng < box.minLng || c.lng > box.maxLng || c.lat < box.minLat || c.lat > box.maxLat)
      fail('location outside its grid');
    if (h.events[0] && h.events[0].at.getTime() !== c.reportedAt.getTime())
      fail('first event is not the report');

    let snapshot: CaseSnapshot | null = null;
    let denied = false;
    let checkPassed = false;
    let assigned: string | undefined;
    let candidates: readonly string[] = [];
    let last = Number.NEGATIVE_INFINITY;
    const trail: Array<{ at: number; to: CaseState }> = [];
    for (const e of h.events) {
      const at = e.at.getTime();
      if (at < last) fail(`${e.action} goes back in time`);
      last = at;
      const p = e.payload;
      const target = p.targetCaseKey === undefined ? undefined : this.seen.get(p.targetCaseKey);
      const targetState = target?.filter((x) => x.at <= at).pop()?.to;
      const supervised = e.actorUsername ? this.supervisorGrids.get(e.actorUsername) : undefined;
      const departmental = e.actorRole === 'department' || e.actorRole === 'handler';
      const d = decide(
        snapshot,
        e.action,
        { role: e.actorRole },
        {
          hasAfterPhotos: (p.afterPhotos ?? 0) > 0,
          hasReason: typeof p.reason === 'string' && p.reason.length > 0,
          checkPassed,
          isAssignedDepartment: departmental && assigned !== undefined && e.departmentCode === assigned,
          isCandidateDepartment: p.candidate !== undefined && candidates.includes(p.candidate),
          isGridSupervisor: e.actorRole === 'supervisor' && (supervised?.has(c.gridCode) ?? true),
          hasTargetCase:
            targetState !== undefined && !isTerminal(targetState) && p.targetCaseKey !== c.caseKey,
          hasDepartment: p.department !== undefined && this.departments.has(p.department.code),
          sourceVerified: c.source === 'supervisor' || c.source === 'leader',
          verificationDenied: denied,
          selfHandleCloses: false,
          checkPhotosGiven: true,
        },
      );
      if (!d.ok) {
        fail(
          `${snapshot?.state ?? 'new'} → ${e.action} by ${e.actorRole} refused: ${d.code} ${d.guard ?? ''}`,
        );
        break;
      }
      if (d.from !== e.from || d.to !== e.to)
        fail(`${e.action}: recorded ${e.from}→${e.to}, decided ${d.from}→${d.to}`);
      if (d.counters.join() !== (p.counters ?? []).join()) fail(`${e.action}: counters differ`);
      const started = d.clock.find((x) => x.startsWith('start:'))?.slice(6);
      if (started && p.clock?.step !== started) fail(`${e.action}: clock should run ${started}`);
      if (
        e.action === 'overdue' &&
        (p.deadline === undefined || p.deadline === null || Date.parse(p.deadline) > at)
      )
        fail('overdue before its deadline');
      if (e.departmentCode !== undefined && !this.departments.has(e.departmentCode))
        fail('unknown department');
      snapshot = { state: d.to, pending: d.pending };
      trail.push({ at, to: d.to });
      if (e.action === 'verify') denied = false;
      if (e.action === 'deny') denied = true;
      if (e.action === 'check_pass' || e.action === 'self_handle') checkPassed = true;
      if (e.action === 'check_fail') checkPassed = false;
      if (e.action === 'send_to_collaboration') candidates = p.candidates ?? [];
      if (p.department) assigned = p.department.code;
      if (e.action === 'return_approve') assigned = undefined;
    }
    this.seen.set(c.caseKey, trail);
    return problems;
  }
}
