/**
 * 决策参考: recommendations derived from the month's figures by stated rules — each rule a
 * threshold on one figure, printed with the rule beside the advice so a reader sees why it was
 * given. Pure: figures in, sentences out.
 */
import type { ReportFigures } from './figures.js';
import { fill, type Texts } from './texts.js';

export const RULES = {
  /** 按期结案率 below this → 督办 the last department. */
  onTimeBelow: 0.9,
  /** Reports up month on month by more than this → 源头治理 of the top category. */
  growthAbove: 0.2,
  /** One 小类 more than this share of the month's reports → 专项整治. */
  categoryShareAbove: 0.25,
  /** 返工率 above this → 核查 quality. */
  reworkAbove: 0.05,
} as const;

export const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** Change against a base as the report prints it: 上升 12.0% / 下降 3.1% / 持平 / 无可比数据. */
export function change(now: number, before: number): { text: string; ratio: number | null } {
  if (before === 0) return { text: '无可比数据', ratio: null };
  const r = (now - before) / before;
  if (r === 0) return { text: '持平', ratio: 0 };
  return { text: `${r > 0 ? '上升' : '下降'} ${pct(Math.abs(r))}`, ratio: r };
}

export interface Recommendation {
  rule: string;
  text: string;
}

export function recommend(f: ReportFigures, t: Texts): Recommendation[] {
  const out: Recommendation[] = [];
  const total = f.total;
  const top = f.topCategories[0];
  const departments = f.rankings.tables.department ?? [];
  const worstDept = [...departments]
    .filter((d) => d.rank !== null)
    .sort((a, b) => (b.rank ?? 0) - (a.rank ?? 0))[0];
  if (total.onTimeRate !== null && total.onTimeRate < RULES.onTimeBelow)
    out.push({
      rule: `按期结案率 < ${pct(RULES.onTimeBelow)}`,
      text: fill(t.recOnTime, {
        onTimeRate: pct(total.onTimeRate),
        threshold: pct(RULES.onTimeBelow),
        worstDepartment: worstDept?.subjectName ?? '—',
      }),
    });
  const mom = change(total.reported, f.previousMonth.reported);
  if (mom.ratio !== null && mom.ratio > RULES.growthAbove)
    out.push({
      rule: `上报量环比增幅 > ${pct(RULES.growthAbove)}`,
      text: fill(t.recGrowth, {
        mom: pct(mom.ratio),
        threshold: pct(RULES.growthAbove),
        topCategory: top?.label ?? '—',
      }),
    });
  if (top && total.reported > 0 && top.reported / total.reported > RULES.categoryShareAbove)
    out.push({
      rule: `单一小类占比 > ${pct(RULES.categoryShareAbove)}`,
      text: fill(t.recCategory, {
        topCategory: top.label,
        share: pct(top.reported / total.reported),
        threshold: pct(RULES.categoryShareAbove),
      }),
    });
  const firstRecurring = f.recurring[0];
  if (firstRecurring)
    out.push({
      rule: '存在同一网格同一小类反复发生的问题',
      text: fill(t.recRecurring, {
        count: f.recurring.length,
        topPlace: firstRecurring.place,
        topCategory: firstRecurring.category,
        topCount: firstRecurring.count,
      }),
    });
  if (total.reworkRate !== null && total.reworkRate > RULES.reworkAbove)
    out.push({
      rule: `返工率 > ${pct(RULES.reworkAbove)}`,
      text: fill(t.recRework, { reworkRate: pct(total.reworkRate), threshold: pct(RULES.reworkAbove) }),
    });
  if (f.overdue.count > 0 || f.difficult.count > 0)
    out.push({
      rule: '存在环节超时或疑难案件',
      text: fill(t.recOverdue, { overdue: f.overdue.count, difficult: f.difficult.count }),
    });
  if (out.length === 0) out.push({ rule: '无规则触发', text: t.recNone });
  return out;
}
