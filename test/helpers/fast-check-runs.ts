/**
 * The number of runs of a property that sets its own: `fc.assert(p, { numRuns: fcRuns(400) })`.
 * FC_NUM_RUNS overrides it as it overrides the default of the others (fast-check-seed.ts), so
 * one variable turns every property up for a long soak or down for mutation testing.
 */
export function fcRuns(own: number): number {
  const raw = process.env.FC_NUM_RUNS;
  if (raw === undefined || raw === '') return own;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`FC_NUM_RUNS must be an integer ≥ 1, got ${raw}`);
  return n;
}
