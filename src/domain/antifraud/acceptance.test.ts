/**
 * Acceptance (issue 17, 信息采集质量): on a generated history with planted frauds — reused
 * photos, reports far from the reporter's track, bursts, copies, a pile before the month's
 * deadline — the rules catch every planted fraud and flag under 1 % of the honest reports.
 * Prints recall and the false-positive rate.
 */
import { describe, expect, it } from 'vitest';
import { generateDemoCity } from '../demo-city/index.js';
import { generateHistory } from '../history/index.js';
import { detectFlags } from './rules.js';
import { honestPatrols, plantFrauds } from './scenario.js';
import { DEFAULT_THRESHOLDS, FLAG_KINDS, type FlagKind } from './types.js';

describe('anti-fraud acceptance on a generated history', { timeout: 300_000 }, () => {
  it('catches the planted frauds and flags under 1 % of honest reports', () => {
    const city = generateDemoCity();
    const history = generateHistory({
      city,
      from: new Date('2026-03-01T00:00:00+08:00'),
      days: 61,
      seed: 17,
      casesPerDay: 300,
    });
    const base = honestPatrols(history, 17);
    const s = plantFrauds(base, { photoReuse: 40, offTrack: 40, bursts: 10, copies: 40, quotaRushes: 2 }, 17);
    const t0 = performance.now();
    const flags = detectFlags({ reports: s.reports, fixes: s.fixes, thresholds: DEFAULT_THRESHOLDS });
    const ms = performance.now() - t0;
    const flagged = new Map<string, Set<FlagKind>>();
    for (const f of flags) flagged.set(f.caseId, (flagged.get(f.caseId) ?? new Set()).add(f.kind));

    const lines: string[] = [];
    const plantedKinds = FLAG_KINDS.filter((k) => s.planted.some((p) => p.kind === k));
    for (const kind of plantedKinds) {
      const of = s.planted.filter((p) => p.kind === kind);
      const byKind = of.filter((p) => flagged.get(p.caseId)?.has(kind)).length;
      const byAny = of.filter((p) => flagged.has(p.caseId)).length;
      lines.push(
        `${kind.padEnd(16)} planted ${String(of.length).padStart(4)}  caught by its rule ${byKind} (${((100 * byKind) / of.length).toFixed(1)} %), by any ${byAny}`,
      );
    }
    const honestFlagged = [...s.honest].filter((id) => flagged.has(id));
    const byKind = Object.fromEntries(
      FLAG_KINDS.map((k) => [k, honestFlagged.filter((id) => flagged.get(id)?.has(k)).length]),
    );
    const fpr = honestFlagged.length / s.honest.size;
    const recall = s.planted.filter((p) => flagged.has(p.caseId)).length / s.planted.length;
    lines.push(
      `detectFlags ${ms.toFixed(0)} ms; reports ${s.reports.length}, fixes ${s.fixes.length}, supervisors ${new Set(s.reports.map((r) => r.reporterId)).size}`,
      `recall ${(100 * recall).toFixed(1)} % of ${s.planted.length} planted; honest flagged ${honestFlagged.length} of ${s.honest.size} = ${(100 * fpr).toFixed(3)} % ${JSON.stringify(byKind)}`,
    );
    console.log(`anti-fraud acceptance\n  ${lines.join('\n  ')}`);
    for (const kind of plantedKinds) {
      const of = s.planted.filter((p) => p.kind === kind);
      expect(of.filter((p) => flagged.get(p.caseId)?.has(kind)).length, kind).toBe(of.length);
    }
    expect(recall).toBe(1);
    expect(fpr).toBeLessThan(0.01);
    // Non-vacuity: the honest side is large and every kind was planted.
    expect(s.honest.size).toBeGreaterThan(10_000);
    expect(plantedKinds).toEqual(FLAG_KINDS.filter((k) => k !== 'impossible_speed'));
  });
});
