/**
 * Forecast backtests on a generated year: the demo history generator writes a year of cases
 * (default from 2026-01-01, 800 a day over the city), counted per local day, per category (kind
 * and 大类) × district and for the whole city; each series with at least `minMean` cases a day
 * is backtested at 6 rolling origins a week apart (7-day horizon), Prophet (with the official
 * holidays and make-up workdays of `chinese-days`) beside the naive seasonal baseline (the same
 * weekday last week). Prints per series and overall the MASE, MAPE and weekly MAPE of both, the
 * ratio model/baseline, the band's coverage and which method the console would show. Pure JS, no
 * database (the server counts the same days from eval_case_facts). Asserts nothing.
 *
 *   npx tsx bench/forecast.ts [casesPerDay=800] [minMean=3] [seed=1] [until=2026-12-31]
 *
 * `until` ends the series earlier: 2026-10-14 puts the 国庆 holidays (1–7 Oct, make-up Saturday
 * 10 Oct) inside the backtest's six weeks, where the baseline has no way to know them.
 */
import { mean } from 'simple-statistics';
import { generateDemoCity } from '../src/domain/demo-city/index.js';
import { analyseSeries, DEFAULT_ANALYSE } from '../src/domain/forecast/analyse.js';
import { dayRange } from '../src/domain/forecast/days.js';
import { generateHistory } from '../src/domain/history/index.js';
import { packageDayKinds } from '../src/modules/forecast/official.js';

const casesPerDay = Number(process.argv[2] ?? 800);
const minMean = Number(process.argv[3] ?? 3);
const seed = Number(process.argv[4] ?? 1);
const until = process.argv[5] ?? '2026-12-31';
const say = (s: string) => process.stdout.write(`${s}\n`);
const OFFSET_MS = 8 * 3600_000;

const city = generateDemoCity();
const names = new Map(city.divisions.map((d) => [d.code, d.name]));
const FROM = '2026-01-01';
const DAYS = 365;
const days = dayRange(FROM, DAYS);
const index = new Map(days.map((d, i) => [d, i]));
const counts = new Map<string, number[]>();
const bump = (key: string, i: number) => {
  const row = counts.get(key) ?? new Array<number>(DAYS).fill(0);
  counts.set(key, row);
  row[i] = (row[i] as number) + 1;
};

let t0 = performance.now();
let cases = 0;
for (const h of generateHistory({
  city,
  from: new Date(`${FROM}T00:00:00+08:00`),
  days: DAYS,
  seed,
  casesPerDay,
})) {
  const c = h.case;
  const i = index.get(new Date(c.reportedAt.getTime() + OFFSET_MS).toISOString().slice(0, 10));
  if (i === undefined) continue;
  cases++;
  const category = `${c.kind}:${c.categoryCode.slice(0, 2)}`;
  const district = c.gridCode.slice(0, 6);
  bump(`${category}|${district}`, i);
  bump(`${category}|*`, i);
  bump(`*|${district}`, i);
  bump('*|*', i);
}
say(`generated ${cases} cases over ${DAYS} days in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const kinds = packageDayKinds();
const kept = days.filter((d) => d <= until).length;
const shown = days.slice(0, kept);
say(`series from ${FROM} to ${shown.at(-1)} (${kept} days)`);
const series = [...counts.entries()]
  .map(([key, row]): [string, number[]] => [key, row.slice(0, kept)])
  .filter(([, row]) => mean(row.slice(-56)) >= minMean)
  .sort(([a], [b]) => a.localeCompare(b));
say(`${series.length} series with ≥ ${minMean} cases a day (of ${counts.size}); 6 origins × 7 days each\n`);

const f = (v: number | undefined, d = 2) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
/** Pads to a display width: a CJK character takes two columns. */
const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
say(
  `${pad('category × area', 34)} ${'mean/d'.padStart(7)}  ${'MASE P'.padStart(7)} ${'MASE B'.padStart(7)} ${'ratio'.padStart(6)}  ${'MAPE P'.padStart(7)} ${'MAPE B'.padStart(7)}  ${'wk% P'.padStart(6)} ${'wk% B'.padStart(6)}  ${'cov P'.padStart(5)} ${'cov B'.padStart(5)}  shown`,
);
const rows: { key: string; p: number[]; b: number[]; shown: string }[] = [];
t0 = performance.now();
for (const [key, row] of series) {
  const r = analyseSeries({ days: shown, counts: row }, kinds, { ...DEFAULT_ANALYSE, horizon: 7 });
  if (!r?.backtest.model || !r.backtest.baseline) continue;
  const p = r.backtest.model;
  const b = r.backtest.baseline;
  const [cat, area] = key.split('|') as [string, string];
  const label = `${cat === '*' ? '全部' : cat} × ${area === '*' ? '全市' : (names.get(area) ?? area)}`;
  rows.push({
    key,
    p: [p.mase, p.mape, p.weeklyMape, p.coverage],
    b: [b.mase, b.mape, b.weeklyMape, b.coverage],
    shown: r.method,
  });
  say(
    `${pad(label, 34)} ${f(mean(row.slice(-56)), 1).padStart(7)}  ${f(p.mase).padStart(7)} ${f(b.mase).padStart(7)} ${f(p.mase / b.mase).padStart(6)}  ${f(p.mape, 1).padStart(7)} ${f(b.mape, 1).padStart(7)}  ${f(p.weeklyMape, 1).padStart(6)} ${f(b.weeklyMape, 1).padStart(6)}  ${f(p.coverage).padStart(5)} ${f(b.coverage).padStart(5)}  ${r.method}`,
  );
}
const seconds = (performance.now() - t0) / 1000;
const avg = (pick: (r: (typeof rows)[number]) => number) => mean(rows.map(pick).filter(Number.isFinite));
say('');
say(`overall (mean over ${rows.length} series; P = Prophet, B = baseline same weekday last week)`);
say(
  `  MASE        P ${f(avg((r) => r.p[0] as number))}  B ${f(avg((r) => r.b[0] as number))}  ratio ${f(avg((r) => r.p[0] as number) / avg((r) => r.b[0] as number))}`,
);
say(
  `  MAPE %      P ${f(
    avg((r) => r.p[1] as number),
    1,
  )}  B ${f(
    avg((r) => r.b[1] as number),
    1,
  )}`,
);
say(
  `  week MAPE % P ${f(
    avg((r) => r.p[2] as number),
    1,
  )}  B ${f(
    avg((r) => r.b[2] as number),
    1,
  )}`,
);
say(`  95 % band coverage P ${f(avg((r) => r.p[3] as number))}  B ${f(avg((r) => r.b[3] as number))}`);
say(
  `  Prophet shown (beats the baseline) in ${rows.filter((r) => r.shown === 'prophet').length} of ${rows.length} series`,
);
say(
  `  ${seconds.toFixed(1)} s for the backtests and forecasts (${((seconds * 1000) / Math.max(1, rows.length)).toFixed(0)} ms a series)`,
);
