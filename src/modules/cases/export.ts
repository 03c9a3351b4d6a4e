/**
 * 案卷导出: every case the list would show for the same filters (scope, queue, state), as .xlsx.
 * Pages through listCases itself, so the export can never disagree with the list on what the
 * actor may see or on the order.
 */
import type { CaseState, ClockStep } from '../../domain/workflow/index.js';
import { STATE_LABELS } from '../../domain/workflow/index.js';
import { type Ctx, requirePermission } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { type ExportColumn, localDateStamp, streamWorkbook } from '../../platform/http/xlsx-export.js';
import type { presentCase } from './presenter.js';
import { listCases } from './queries.js';
import { type QueueQuery, queueQuery, type Source } from './schema.js';

export const MAX_CASE_EXPORT = 50_000;
const PAGE = 200;

/** The list's filters without its paging (the export pages itself). */
export const exportQuery = queueQuery.omit({ limit: true, cursor: true, offset: true });
export type ExportQuery = Omit<QueueQuery, 'limit' | 'cursor' | 'offset'>;

const SOURCE_ZH: Record<Source, string> = {
  supervisor: '监督员上报',
  public: '公众举报',
  hotline_12345: '12345热线',
  video_ai: '视频智能识别',
  iot: '物联感知',
  leader: '领导交办',
  media: '媒体曝光',
  open311: 'Open311 接入',
};
const KIND_ZH = { component: '部件', event: '事件' } as const;
const URGENCY_ZH: Record<string, string> = { normal: '一般', urgent: '紧急', emergency: '特急' };
const LIGHT_ZH = { green: '绿灯', yellow: '黄灯', red: '红灯' } as const;
const STEP_ZH: Record<ClockStep, string> = {
  intake: '受理',
  verify: '核实',
  file: '立案',
  dispatch: '派遣',
  claim: '权属认领',
  sign: '签收',
  handle: '处置',
  request_check: '核查派发',
  check: '核查',
  close: '结案',
};

const COLUMNS: ExportColumn[] = [
  { key: 'number', title: '案件编号', width: 24 },
  { key: 'state', title: '状态', width: 10 },
  { key: 'kind', title: '问题类型', width: 8 },
  { key: 'category', title: '类别', width: 20 },
  { key: 'categoryCode', title: '类别代码', width: 10 },
  { key: 'source', title: '来源', width: 12 },
  { key: 'urgency', title: '紧急程度', width: 8 },
  { key: 'address', title: '地址', width: 36 },
  { key: 'grid', title: '网格', width: 17 },
  { key: 'department', title: '处置部门', width: 20 },
  { key: 'reportedAt', title: '上报时间', width: 17 },
  { key: 'step', title: '当前环节', width: 10 },
  { key: 'deadline', title: '当前时限', width: 17 },
  { key: 'light', title: '灯色', width: 6 },
  { key: 'closedAt', title: '办结时间', width: 17 },
  { key: 'description', title: '问题描述', width: 50 },
];

type Presented = ReturnType<typeof presentCase>;

function row(c: Presented) {
  return {
    number: c.number,
    state: STATE_LABELS[c.state as CaseState].zh,
    kind: KIND_ZH[c.kind],
    category: c.category.name,
    categoryCode: c.category.code,
    source: SOURCE_ZH[c.source as Source] ?? c.source,
    urgency: URGENCY_ZH[c.urgency] ?? c.urgency,
    address: c.address,
    grid: c.gridCode,
    department: c.department?.name ?? null,
    reportedAt: new Date(c.reportedAt),
    step: c.clock ? STEP_ZH[c.clock.step as ClockStep] : null,
    deadline: c.clock?.deadline ? new Date(c.clock.deadline) : null,
    light: c.clock?.light ? LIGHT_ZH[c.clock.light] : null,
    closedAt: c.closedAt ? new Date(c.closedAt) : null,
    description: c.description,
  };
}

async function officeOffsetMinutes(ctx: Ctx): Promise<number> {
  const cal = await ctx.db
    .selectFrom('working_calendars')
    .select('utc_offset_minutes')
    .where('id', '=', 'office')
    .executeTakeFirst();
  return cal?.utc_offset_minutes ?? 480;
}

/** Cases exported so far and in all (a background export's progress bar). */
export type ExportProgress = (done: number, total: number) => Promise<void>;

export async function exportCases(
  ctx: Ctx,
  q: ExportQuery,
  max = MAX_CASE_EXPORT,
  progress?: ExportProgress,
) {
  requirePermission(ctx.actor, 'case.read');
  const offset = await officeOffsetMinutes(ctx);
  // Pages go into the workbook as they are read: no list of every row is kept, and the server
  // answers other requests between pages.
  async function* pages() {
    let cursor: string | undefined;
    let done = 0;
    do {
      const page = await listCases(ctx, { ...q, limit: PAGE, ...(cursor ? { cursor } : {}) });
      if (page.total > max) throw new AppError('EXPORT_TOO_MANY_ROWS', { details: { limit: max } });
      yield page.items.map(row);
      done += page.items.length;
      await progress?.(done, page.total);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  const body = await streamWorkbook('案卷列表', COLUMNS, pages(), offset);
  const stamp = localDateStamp(new Date(), offset);
  return { body, filename: `案卷列表-${stamp}.xlsx`, asciiFallback: `cases-${stamp}.xlsx` };
}
