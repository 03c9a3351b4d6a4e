/** A publication as .xlsx: one sheet per subject type, Chinese headers, ranking order. */
import ExcelJS from 'exceljs';
import { indicatorsOf, type SubjectType } from '../../domain/evaluation/index.js';

export const SUBJECT_TYPE_NAMES: Record<SubjectType, string> = {
  department: '专业部门',
  supervisor: '监督员',
  intake: '受理员',
  shift_leader: '值班长',
  dispatcher: '派遣员',
  grid: '单元网格',
  community: '社区',
  street: '街道',
  district: '区县',
  collection_team: '信息采集作业组',
  collection_company: '信息采集外包公司',
  center: '数字城管中心',
};

interface PublishedRow {
  subjectId: string;
  subjectName: string;
  indicators: unknown;
  composite: number | null;
  grade: string | null;
  rank: number | null;
}

export async function publicationWorkbook(
  title: string,
  periodText: string,
  tables: Record<string, unknown[]>,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CityLoop';
  for (const [type, rows] of Object.entries(tables) as [SubjectType, PublishedRow[]][]) {
    const infos = indicatorsOf(type);
    const ws = wb.addWorksheet(SUBJECT_TYPE_NAMES[type] ?? type, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      { header: '排名', key: 'rank', width: 8 },
      { header: '编码', key: 'id', width: 18 },
      { header: '名称', key: 'name', width: 24 },
      { header: '综合得分', key: 'composite', width: 10 },
      { header: '等级', key: 'grade', width: 8 },
      ...infos.map((i) => ({
        header: i.kind === 'rate' ? `${i.label.zh}(%)` : i.label.zh,
        key: i.key,
        width: Math.max(10, i.label.zh.length * 2 + 4),
      })),
    ];
    ws.getRow(1).font = { bold: true };
    for (const r of rows) {
      const cells = r.indicators as Record<string, { value: number | null }>;
      const row = ws.addRow({
        rank: r.rank,
        id: r.subjectId,
        name: r.subjectName,
        composite: r.composite === null ? null : Math.round(r.composite * 100) / 100,
        grade: r.grade,
        ...Object.fromEntries(
          infos.map((i) => {
            const v = cells[i.key]?.value ?? null;
            return [i.key, v === null ? null : i.kind === 'rate' ? Math.round(v * 10_000) / 100 : v];
          }),
        ),
      });
      row.getCell(2).numFmt = '@';
    }
  }
  const about = wb.addWorksheet('说明');
  about.addRow(['标题', title]);
  about.addRow(['评价周期', periodText]);
  about.addRow(['说明', '数据来自案卷事件日志，发布后冻结，不随评价方案修改而变化。']);
  about.getColumn(2).width = 60;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
