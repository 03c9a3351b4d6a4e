/**
 * The 月度分析报告 as a Word document (the `docx` library): headings, the stored texts filled with
 * the month's figures, tables, and the charts as PNG images. Sections follow the reports cities
 * publish (special-supervision.md §4): 总体 → 来源 → 高发 → 排名 → 反复问题 → 超期疑难 → 专项 →
 * 决策参考.
 */
import {
  AlignmentType,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { barChart, type Chart, lineChart, pieChart } from './charts.js';
import {
  DIFFICULT_OPEN_DAYS,
  DIFFICULT_REWORKS,
  type ListedCase,
  RANKED_TYPES,
  type RankRow,
  RECURRING_MIN,
  type ReportFigures,
} from './figures.js';
import { change, pct, recommend } from './recommend.js';
import { fill, type Texts } from './texts.js';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const SOURCE_ZH: Record<string, string> = {
  supervisor: '监督员上报',
  public: '公众上报',
  hotline_12345: '12345热线',
  video_ai: '视频智能识别',
  iot: '物联感知',
  leader: '领导批示',
  media: '媒体曝光',
};
const TYPE_ZH: Record<string, string> = {
  district: '区',
  street: '街道',
  department: '专业部门',
  supervisor: '监督员（岗位）',
  dispatcher: '派遣员（岗位）',
};
const STATE_ZH: Record<string, string> = {
  reported: '已上报',
  verifying: '核实中',
  pending_filing: '待立案',
  filed: '已立案',
  dispatched: '已派遣',
  ownership_dispute: '权属争议',
  handling: '处置中',
  handled: '已处置',
  checking: '核查中',
  pending_close: '待结案',
  closed: '已结案',
  suspended: '挂账',
};

const p = (text: string) => new Paragraph({ children: [new TextRun(text)], spacing: { after: 120 } });
const h = (text: string, level: 1 | 2 = 1) =>
  new Paragraph({ text, heading: level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2 });
const image = (c: Chart) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    children: [
      new ImageRun({ type: 'png', data: c.png, transformation: { width: c.width, height: c.height } }),
    ],
  });
const cell = (text: string | number, bold = false) =>
  new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: String(text), bold })] })] });
function table(head: string[], rows: (string | number)[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: head.map((x) => cell(x, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((x) => cell(x)) })),
    ],
  });
}

const num = (x: number | null) => (x === null ? '—' : x.toFixed(2));

function rankingRows(rows: RankRow[], type: string): (string | number)[][] {
  const ranked = rows.filter((r) => r.rank !== null);
  // Areas in full; departments and posts: the best five and the last five.
  const shown =
    type === 'district' || ranked.length <= 10 ? ranked : [...ranked.slice(0, 5), ...ranked.slice(-5)];
  return shown.map((r) => [r.rank ?? '—', r.subjectName, num(r.composite), r.grade ?? '—']);
}

const caseRows = (cases: ListedCase[]) =>
  cases.map((c) => [
    c.number,
    c.category,
    c.address,
    STATE_ZH[c.state] ?? c.state,
    c.department ?? '—',
    c.overdueSteps,
    c.reworks,
    c.openDays ?? '—',
  ]);
const CASE_HEAD = ['案卷号', '小类', '地址', '状态', '处置部门', '超时环节', '返工', '在办天数'];

/** Values every text may name: the period. */
function periodValues(f: ReportFigures) {
  const [year, month] = f.month.split('-');
  return {
    year: year as string,
    month: String(Number(month)),
    from: f.firstDay,
    to: f.lastDay,
    asOf: `${f.asOf.slice(0, 10)} ${f.asOf.slice(11, 16)} UTC`,
  };
}

export async function reportDocx(
  f: ReportFigures,
  t: Texts,
  progress: (percent: number, message: string) => Promise<void>,
): Promise<Buffer> {
  const period = periodValues(f);
  const evaluation = f.rankings.publicationId
    ? `已发布的综合评价《${f.rankings.title}》`
    : '按现行评价方案实时计算的综合评价（本月评价尚未发布）';
  const total = f.total;
  const share = (n: number) => pct(total.reported === 0 ? null : n / total.reported);
  const body: (Paragraph | Table)[] = [];

  body.push(
    new Paragraph({
      text: fill(t.title, period),
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
    }),
    p(fill(t.intro, { ...period, evaluation })),
  );

  // 一、总体情况
  const mom = change(total.reported, f.previousMonth.reported);
  const yoy = change(total.reported, f.lastYear.reported);
  body.push(
    h('一、总体情况'),
    p(
      fill(t.overview, {
        reported: total.reported,
        mom: mom.text,
        yoy: yoy.text,
        filed: total.filed,
        dueClose: total.dueClose,
        closed: total.closed,
        closedOnTime: total.closedOnTime,
        onTimeRate: pct(total.onTimeRate),
        reworkRate: pct(total.reworkRate),
      }),
    ),
    table(
      ['指标', '本月', '上月', '去年同月', '环比', '同比'],
      (
        [
          ['上报', 'reported'],
          ['立案', 'filed'],
          ['应结案', 'dueClose'],
          ['处置', 'handled'],
          ['结案', 'closed'],
          ['按期结案', 'closedOnTime'],
          ['返工', 'reworked'],
        ] as const
      ).map(([label, k]) => [
        label,
        total[k],
        f.previousMonth[k],
        f.lastYear[k],
        change(total[k], f.previousMonth[k]).text,
        change(total[k], f.lastYear[k]).text,
      ]),
    ),
    p(''),
    table(
      ['比率', '本月', '上月', '去年同月'],
      (
        [
          ['处置率', 'disposalRate'],
          ['按期结案率', 'onTimeRate'],
          ['返工率', 'reworkRate'],
        ] as const
      ).map(([label, k]) => [label, pct(total[k]), pct(f.previousMonth[k]), pct(f.lastYear[k])]),
    ),
  );
  if (f.daily.length > 0)
    body.push(
      image(
        lineChart(
          '每日上报量',
          f.daily.map((d) => ({ name: d.day.slice(8), value: d.n })),
        ),
      ),
    );
  await progress(80, '图表 · charts');

  // 二、案件来源
  const sources = [...f.sources].sort((a, b) => b.reported - a.reported);
  const topSource = sources[0];
  body.push(
    h('二、案件来源'),
    p(
      topSource
        ? fill(t.sources, {
            topSource: SOURCE_ZH[topSource.key] ?? topSource.key,
            topSourceCount: topSource.reported,
            topSourceShare: share(topSource.reported),
          })
        : '本月无案件。',
    ),
    table(
      ['来源', '上报', '占比', '结案', '按期结案率'],
      sources.map((s) => [
        SOURCE_ZH[s.key] ?? s.key,
        s.reported,
        share(s.reported),
        s.closed,
        pct(s.onTimeRate),
      ]),
    ),
  );
  if (sources.length > 0)
    body.push(
      image(
        pieChart(
          '案件来源',
          sources.map((s) => ({ name: SOURCE_ZH[s.key] ?? s.key, value: s.reported })),
        ),
      ),
    );

  // 三、高发问题与点位
  const topCat = f.topCategories[0];
  const topPlace = f.topPlaces[0];
  body.push(
    h('三、高发问题与点位'),
    p(
      topCat && topPlace
        ? fill(t.categories, {
            topCategory: topCat.label,
            topCategoryCount: topCat.reported,
            topCategoryShare: share(topCat.reported),
            topPlace: topPlace.label,
            topPlaceCount: topPlace.reported,
          })
        : '本月无案件。',
    ),
    h('高发小类（前 10）', 2),
    table(
      ['小类', '类别', '上报', '占比', '结案', '按期结案率'],
      f.topCategories.map((c) => [
        c.label,
        c.kind === 'component' ? '部件' : '事件',
        c.reported,
        share(c.reported),
        c.closed,
        pct(c.onTimeRate),
      ]),
    ),
  );
  if (f.topCategories.length > 0)
    body.push(
      image(
        barChart(
          '高发小类',
          f.topCategories.map((c) => ({ name: c.label, value: c.reported })),
          { horizontal: true },
        ),
      ),
    );
  body.push(
    h('高发点位（网格，前 10）', 2),
    table(
      ['网格', '上报', '结案', '按期结案率'],
      f.topPlaces.map((c) => [c.label, c.reported, c.closed, pct(c.onTimeRate)]),
    ),
    h('各区情况', 2),
    table(
      ['区', '上报', '立案', '应结案', '结案', '按期结案率', '返工率'],
      f.districts.map((d) => [
        d.label,
        d.reported,
        d.filed,
        d.dueClose,
        d.closed,
        pct(d.onTimeRate),
        pct(d.reworkRate),
      ]),
    ),
  );

  // 四、综合评价排名
  const districts = (f.rankings.tables.district ?? []).filter((r) => r.rank !== null);
  body.push(
    h('四、综合评价排名'),
    p(
      fill(t.rankings, {
        evaluation,
        bestDistrict: districts[0]?.subjectName ?? '—',
        worstDistrict: districts[districts.length - 1]?.subjectName ?? '—',
      }),
    ),
  );
  for (const type of RANKED_TYPES) {
    const rows = f.rankings.tables[type] ?? [];
    body.push(h(`${TYPE_ZH[type]}排名`, 2));
    body.push(
      rows.length === 0
        ? p('无参评对象。')
        : table(['名次', '名称', '综合指标值', '等级'], rankingRows(rows, type)),
    );
  }
  if (districts.length > 0)
    body.push(
      image(
        barChart(
          '区综合指标值',
          districts.map((d) => ({ name: d.subjectName, value: Number((d.composite ?? 0).toFixed(2)) })),
        ),
      ),
    );

  // 五、反复发生的问题
  body.push(
    h('五、反复发生的问题'),
    p(fill(t.recurring, { min: RECURRING_MIN, count: f.recurring.length })),
    f.recurring.length === 0
      ? p('无。')
      : table(
          ['网格', '小类', '类别', '本月次数'],
          f.recurring.map((r) => [r.place, r.category, r.kind === 'component' ? '部件' : '事件', r.count]),
        ),
  );

  // 六、超期与疑难案件
  body.push(
    h('六、超期与疑难案件'),
    p(
      fill(t.overdue, {
        overdue: f.overdue.count,
        difficult: f.difficult.count,
        openDays: DIFFICULT_OPEN_DAYS,
        reworks: DIFFICULT_REWORKS,
      }),
    ),
    h(`环节超时案件（列出前 ${f.overdue.cases.length} 件）`, 2),
    f.overdue.cases.length === 0 ? p('无。') : table(CASE_HEAD, caseRows(f.overdue.cases)),
    h(`疑难案件（列出前 ${f.difficult.cases.length} 件）`, 2),
    f.difficult.cases.length === 0 ? p('无。') : table(CASE_HEAD, caseRows(f.difficult.cases)),
  );

  // 七、专项分析
  body.push(h('七、专项分析'));
  for (const topic of f.topics) {
    body.push(
      h(`${topic.title}专项`, 2),
      p(
        fill(t.topic, {
          topic: topic.title,
          reported: topic.reported,
          dueClose: topic.dueClose,
          closed: topic.closed,
          closedOnTime: topic.closedOnTime,
        }),
      ),
      topic.categories.length === 0
        ? p('本月无此类案件。')
        : table(
            ['小类', '上报', '应结案', '结案', '按期结案率', '平均处置时长（小时）'],
            topic.categories.map((c) => [
              c.label,
              c.reported,
              c.dueClose,
              c.closed,
              pct(c.onTimeRate),
              c.avgHandlingHours ?? '—',
            ]),
          ),
    );
  }

  // 八、决策参考
  body.push(h('八、分析与决策参考'));
  recommend(f, t).forEach((r, i) => {
    body.push(
      new Paragraph({
        spacing: { after: 120 },
        children: [
          new TextRun(`${i + 1}. ${r.text}`),
          new TextRun({ text: `（依据规则：${r.rule}）`, italics: true, color: '666666' }),
        ],
      }),
    );
  });
  await progress(90, '排版 · layout');

  const doc = new Document({
    creator: 'CityLoop',
    title: fill(t.title, period),
    styles: {
      default: {
        document: {
          run: { font: { ascii: 'Arial', hAnsi: 'Arial', eastAsia: 'Microsoft YaHei' }, size: 22 },
        },
      },
    },
    sections: [{ children: body }],
  });
  return Packer.toBuffer(doc);
}
