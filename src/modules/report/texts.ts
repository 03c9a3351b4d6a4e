/**
 * The report's wording: every sentence is a stored text with {placeholders} an administrator may
 * rewrite (PUT /reports/monthly/texts/{key}); a key with no stored row uses the default below.
 * Each text offers a fixed set of placeholders, checked when saved, so a report never prints a
 * raw "{name}".
 */
import type { Ctx } from '../../platform/auth/actor.js';
import { requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';

interface TextDef {
  text: string;
  placeholders: readonly string[];
  /** What the text is for, shown beside it in the editor. */
  note: string;
}

const period = ['year', 'month', 'from', 'to', 'asOf'] as const;

export const TEXTS = {
  title: { text: '{year}年{month}月城市管理运行分析报告', placeholders: period, note: '标题' },
  intro: {
    text: '本报告依据数字城管系统 {from} 至 {to} 的案卷数据及{evaluation}编制，数据截至 {asOf}。',
    placeholders: [...period, 'evaluation'],
    note: '导语',
  },
  overview: {
    text: '本月共上报案件 {reported} 件，环比{mom}，同比{yoy}；立案 {filed} 件，应结案 {dueClose} 件，结案 {closed} 件，按期结案 {closedOnTime} 件，按期结案率 {onTimeRate}，返工率 {reworkRate}。',
    placeholders: [
      'reported',
      'mom',
      'yoy',
      'filed',
      'dueClose',
      'closed',
      'closedOnTime',
      'onTimeRate',
      'reworkRate',
    ],
    note: '一、总体情况',
  },
  sources: {
    text: '从来源看，{topSource}上报最多，共 {topSourceCount} 件，占 {topSourceShare}。',
    placeholders: ['topSource', 'topSourceCount', 'topSourceShare'],
    note: '二、案件来源',
  },
  categories: {
    text: '上报最多的小类为{topCategory}（{topCategoryCount} 件，占 {topCategoryShare}）；高发点位为{topPlace}（{topPlaceCount} 件）。',
    placeholders: ['topCategory', 'topCategoryCount', 'topCategoryShare', 'topPlace', 'topPlaceCount'],
    note: '三、高发问题与点位',
  },
  rankings: {
    text: '以下排名取自{evaluation}。区综合指标值最高为{bestDistrict}，最低为{worstDistrict}。',
    placeholders: ['evaluation', 'bestDistrict', 'worstDistrict'],
    note: '四、综合评价排名',
  },
  recurring: {
    text: '同一网格同一小类本月发生 {min} 次及以上的反复问题共 {count} 处，应作为长效治理重点。',
    placeholders: ['min', 'count'],
    note: '五、反复发生的问题',
  },
  overdue: {
    text: '本月上报的案件中，有环节超时的 {overdue} 件；疑难案件（上报 {openDays} 天以上仍未办结，或返工 {reworks} 次及以上）{difficult} 件。',
    placeholders: ['overdue', 'difficult', 'openDays', 'reworks'],
    note: '六、超期与疑难案件',
  },
  topic: {
    text: '{topic}专项：本月上报 {reported} 件，应结案 {dueClose} 件，结案 {closed} 件，按期结案 {closedOnTime} 件。',
    placeholders: ['topic', 'reported', 'dueClose', 'closed', 'closedOnTime'],
    note: '七、专项分析（每个专项一段）',
  },
  recOnTime: {
    text: '按期结案率为 {onTimeRate}，低于 {threshold}：建议对综合评价排名末位的部门（{worstDepartment}）开展督办。',
    placeholders: ['onTimeRate', 'threshold', 'worstDepartment'],
    note: '建议：按期结案率低于阈值时',
  },
  recGrowth: {
    text: '案件量环比上升 {mom}，超过 {threshold}：建议加强{topCategory}等高发问题的源头治理。',
    placeholders: ['mom', 'threshold', 'topCategory'],
    note: '建议：环比增幅超过阈值时',
  },
  recCategory: {
    text: '{topCategory}占全部案件的 {share}，超过 {threshold}：建议组织专项整治。',
    placeholders: ['topCategory', 'share', 'threshold'],
    note: '建议：单一小类占比超过阈值时',
  },
  recRecurring: {
    text: '{count} 处点位同类问题反复发生（最多为{topPlace}的{topCategory}，{topCount} 次）：建议落实门前三包和网格长效管理。',
    placeholders: ['count', 'topPlace', 'topCategory', 'topCount'],
    note: '建议：存在反复发生的问题时',
  },
  recRework: {
    text: '返工率为 {reworkRate}，超过 {threshold}：建议加强处置质量核查。',
    placeholders: ['reworkRate', 'threshold'],
    note: '建议：返工率超过阈值时',
  },
  recOverdue: {
    text: '有 {overdue} 件案件环节超时、{difficult} 件疑难案件：建议由值班长逐件跟踪督办。',
    placeholders: ['overdue', 'difficult'],
    note: '建议：存在超时或疑难案件时',
  },
  recNone: {
    text: '本月各项指标均在正常范围内，建议保持现有工作机制。',
    placeholders: [],
    note: '建议：无规则触发时',
  },
} as const satisfies Record<string, TextDef>;

export type TextKey = keyof typeof TEXTS;
export type Texts = Record<TextKey, string>;

export const isTextKey = (k: string): k is TextKey => Object.hasOwn(TEXTS, k);

/** Placeholders a text names: {word}. */
const namesIn = (text: string) => [...text.matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1] as string);

export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

export async function loadTexts(ctx: Pick<Ctx, 'db'>): Promise<Texts> {
  const rows = await ctx.db.selectFrom('report_texts').select(['key', 'text']).execute();
  const out = Object.fromEntries(Object.entries(TEXTS).map(([k, d]) => [k, d.text])) as Texts;
  for (const r of rows) if (isTextKey(r.key)) out[r.key] = r.text;
  return out;
}

/** The template as the editor shows it: each text, its default and the placeholders it may use. */
export async function listTexts(ctx: Ctx) {
  requirePermission(ctx.actor, 'evaluation.read');
  const current = await loadTexts(ctx);
  return (Object.entries(TEXTS) as [TextKey, TextDef][]).map(([key, d]) => ({
    key,
    note: d.note,
    text: current[key],
    default: d.text,
    placeholders: d.placeholders,
  }));
}

/** Saves a text (null: back to the default). Leaders and administrators (evaluation.publish). */
export async function saveText(ctx: Ctx, key: string, text: string | null) {
  requirePermission(ctx.actor, 'evaluation.publish');
  if (!isTextKey(key)) throw new AppError('REPORT_TEXT_UNKNOWN_KEY', { details: { key } });
  if (text !== null) {
    const allowed = new Set<string>(TEXTS[key].placeholders);
    const bad = namesIn(text).filter((n) => !allowed.has(n));
    if (bad.length > 0)
      throw new AppError('REPORT_TEXT_PLACEHOLDER_UNKNOWN', {
        details: { key, unknown: bad, allowed: [...allowed] },
      });
    await ctx.db
      .insertInto('report_texts')
      .values({ key, text, updated_by: ctx.actor.userId > 0 ? ctx.actor.userId : null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          text,
          updated_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
          updated_at: new Date(),
        }),
      )
      .execute();
  } else await ctx.db.deleteFrom('report_texts').where('key', '=', key).execute();
  return (await listTexts(ctx)).find((t) => t.key === key);
}
