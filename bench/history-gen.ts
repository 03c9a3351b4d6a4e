/**
 * History generator throughput: streams N generated cases (default 200,000) of the demo city
 * from 2026-01-01 and prints cases/s and events/s. Pure JS, no database; asserts nothing.
 *
 *   npx tsx bench/history-gen.ts [cases=200000] [casesPerDay=2800] [seed=1]
 */
import { generateDemoCity } from '../src/domain/demo-city/index.js';
import { generateHistory } from '../src/domain/history/index.js';

const total = Number(process.argv[2] ?? 200_000);
const casesPerDay = Number(process.argv[3] ?? 2800);
const seed = Number(process.argv[4] ?? 1);
const say = (s: string) => process.stdout.write(`${s}\n`);

const city = generateDemoCity();
const from = new Date('2026-01-01T00:00:00+08:00');
const days = Math.ceil((total / casesPerDay) * 1.1) + 1;

// Warm-up so the JIT has compiled the hot paths before timing.
let warm = 0;
for (const _ of generateHistory({ city, from, days: 2, seed: seed + 1, casesPerDay })) warm++;

const t0 = performance.now();
let cases = 0;
let events = 0;
for (const h of generateHistory({ city, from, days, seed, casesPerDay })) {
  cases++;
  events += h.events.length;
  if (cases >= total) break;
}
const seconds = (performance.now() - t0) / 1000;
say(`history generator (warm-up ${warm} cases)`);
say(`cases:    ${cases} in ${seconds.toFixed(2)} s`);
say(`cases/s:  ${(cases / seconds).toFixed(0)}`);
say(`events/s: ${(events / seconds).toFixed(0)} (${(events / cases).toFixed(1)} events per case)`);
