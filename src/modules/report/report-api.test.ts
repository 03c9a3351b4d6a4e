/**
 * 月度分析报告 over a generated history (January and February 2026): made as a job, its figures
 * are the evaluation and statistics API's, its document says them, an administrator's wording
 * change shows in the next report, LibreOffice opens it and renders pages, the PDF route makes
 * a PDF, and the scheduler enqueues last month's report once. 401/403/400 on every endpoint.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp } from '../../../test/helpers/app.js';
import { expectError } from '../../../test/helpers/errors.js';
import { jobAnswer, settled } from '../../../test/helpers/jobs.js';
import { openTestStore, type TestStore, testStores } from '../../../test/helpers/stores.js';
import type { ApiApp } from '../../platform/http/types.js';
import { tableJobQueue } from '../../platform/jobs/table-queue.js';
import { seedHistory } from '../../seed/history.js';
import { RANKED_TYPES } from './figures.js';
import { defineReportJobs, scheduleMonthlyReports } from './jobs.js';
import { sofficePath } from './pdf.js';

// The last days of January (the month before) and all of February, kept small for the embedded store.
const HISTORY = { from: new Date('2026-01-22T00:00:00+08:00'), days: 38, seed: 17, casesPerDay: 10 };
const MONTH = '2026-02';

/** The paragraphs of a .docx as plain text (w:t runs joined, one line per w:p). */
function docxText(file: Buffer): string {
  const xml = strFromU8(unzipSync(new Uint8Array(file))['word/document.xml'] as Uint8Array);
  return xml
    .split(/<\/w:p>/)
    .map((p) => [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''))
    .join('\n')
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

describe.each(testStores())('monthly report (%s)', (kind) => {
  let ts: TestStore;
  let app: ApiApp;
  const h: Record<string, { authorization: string }> = {};

  beforeAll(async () => {
    ts = await openTestStore(kind);
    await seedHistory(ts.store, HISTORY);
    app = await testApp(ts.store);
    for (const u of ['leader', 'dispatcher', 'supervisor', 'admin']) h[u] = await bearer(app, u);
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    await ts?.dispose();
  });

  const call = (user: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      ...(user ? { headers: h[user] } : {}),
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  /** Makes a report through the API; the job's file and the archived figures. */
  async function make(format: 'docx' | 'pdf') {
    const res = await call('leader', 'POST', '/reports/monthly', { month: MONTH, format });
    expect(res.statusCode, res.body).toBe(202);
    const seen: { progress: number }[] = [];
    const end = await settled(app, h.leader as Record<string, string>, res.json().id, seen as never);
    expect(end.state, JSON.stringify(end.error)).toBe('succeeded');
    const file = await call('leader', 'GET', `/jobs/${end.id}/result`);
    expect(file.statusCode).toBe(200);
    const list = await call('leader', 'GET', '/reports/monthly?limit=1');
    const item = list.json().items[0];
    expect(item).toMatchObject({ month: MONTH, format, origin: 'request', bytes: file.rawPayload.length });
    const figures = (await call('leader', 'GET', `/reports/monthly/${item.id}/figures`)).json();
    const stored = await call('leader', 'GET', `/reports/monthly/${item.id}/file`);
    expect(stored.rawPayload.equals(file.rawPayload)).toBe(true);
    return { file: file.rawPayload, headers: file.headers, figures, id: item.id as number };
  }

  it('refuses the unauthenticated, the unpermitted and bad input on every endpoint', async () => {
    for (const [m, url, body] of [
      ['POST', '/reports/monthly', { month: MONTH }],
      ['GET', '/reports/monthly', undefined],
      ['GET', '/reports/monthly/1/file', undefined],
      ['GET', '/reports/monthly/1/figures', undefined],
      ['GET', '/reports/monthly/texts', undefined],
      ['PUT', '/reports/monthly/texts/title', { text: 'x' }],
    ] as const) {
      expectError(await call(null, m, url, body), 401, 'UNAUTHENTICATED');
      expectError(await call('supervisor', m, url, body), 403, 'FORBIDDEN');
    }
    expectError(
      await call('dispatcher', 'PUT', '/reports/monthly/texts/title', { text: 'x' }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await call('leader', 'POST', '/reports/monthly', { month: '2026-13' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await call('leader', 'POST', '/reports/monthly', { month: MONTH, format: 'odt' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await call('leader', 'POST', '/reports/monthly', { month: '2999-01' }),
      409,
      'REPORT_MONTH_IN_FUTURE',
    );
    expectError(await call('leader', 'GET', '/reports/monthly/abc/file'), 400, 'VALIDATION_FAILED');
    expectError(await call('leader', 'GET', '/reports/monthly/999999/file'), 404, 'NOT_FOUND');
    expectError(
      await call('admin', 'PUT', '/reports/monthly/texts/nope', { text: 'x' }),
      400,
      'REPORT_TEXT_UNKNOWN_KEY',
    );
    const bad = expectError(
      await call('admin', 'PUT', '/reports/monthly/texts/title', { text: '{year}年{secret}' }),
      400,
      'REPORT_TEXT_PLACEHOLDER_UNKNOWN',
    );
    expect(bad.details.unknown).toEqual(['secret']);
    // Nothing changed, nothing made.
    const texts = (await call('leader', 'GET', '/reports/monthly/texts')).json();
    expect(texts.find((t: { key: string }) => t.key === 'title').text).toBe(
      texts.find((t: { key: string }) => t.key === 'title').default,
    );
    expect((await call('leader', 'GET', '/reports/monthly')).json().items).toEqual([]);
  });

  it('says the figures of the statistics and the published evaluation, in the wording the administrator set', async () => {
    const pub = await call('leader', 'POST', '/evaluation/publications', {
      title: '2026年2月综合评价',
      period: 'month',
      from: '2026-02-01',
    });
    // Publishing runs as a job: its result names the publication.
    expect(pub.statusCode, pub.body).toBe(202);
    const done = await jobAnswer(app, h.leader as Record<string, string>, pub);
    expect(done.statusCode, done.body).toBe(200);
    const publicationId = done.json().id as number;
    const edited = await call('admin', 'PUT', '/reports/monthly/texts/title', {
      text: '{year}年{month}月数字城管运行分析（试行）',
    });
    expect(edited.statusCode, edited.body).toBe(200);

    const { file, headers, figures } = await make('docx');
    expect(headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    // The statistics API's answers for the month, the month before and a year before.
    const stats = async (from: string, to: string, groupBy: string) => {
      const r = await call('leader', 'GET', `/evaluation/stats?from=${from}&to=${to}&groupBy=${groupBy}`);
      expect(r.statusCode).toBe(200);
      return r.json();
    };
    const feb = await stats('2026-02-01', '2026-02-28', 'source');
    const jan = await stats('2026-01-01', '2026-01-31', 'source');
    const lastYear = await stats('2025-02-01', '2025-02-28', 'source');
    const byCategory = await stats('2026-02-01', '2026-02-28', 'category');
    expect(feb.total.reported).toBeGreaterThan(150);
    expect(jan.total.reported).toBeGreaterThan(40);
    expect(figures.total).toEqual(feb.total);
    expect(figures.previousMonth).toEqual(jan.total);
    expect(figures.lastYear).toEqual(lastYear.total);
    expect(figures.sources).toEqual(feb.groups);
    expect(figures.topCategories).toEqual(feb.topCategories);
    expect(figures.topPlaces).toEqual(feb.topPlaces);
    for (const topic of figures.topics)
      for (const c of topic.categories) expect(byCategory.groups).toContainEqual(c);
    expect(figures.topics.find((t: { key: string }) => t.key === 'covers').categories.length).toBeGreaterThan(
      0,
    );
    // The published evaluation's rankings, row for row.
    const published = (await call('leader', 'GET', `/evaluation/publications/${publicationId}`)).json();
    expect(figures.rankings.publicationId).toBe(publicationId);
    for (const type of RANKED_TYPES)
      expect(figures.rankings.tables[type]).toEqual(
        (published.tables[type] ?? []).map((r: Record<string, unknown>) => ({
          subjectId: r.subjectId,
          subjectName: r.subjectName,
          composite: r.composite,
          grade: r.grade,
          rank: r.rank,
        })),
      );
    expect(figures.rankings.tables.district.length).toBeGreaterThan(1);

    // The document says those figures.
    const text = docxText(file);
    expect(text).toContain('2026年2月数字城管运行分析（试行）');
    expect(text).toContain(`本月共上报案件 ${feb.total.reported} 件`);
    expect(text).toContain(
      `结案 ${feb.total.closed} 件，按期结案 ${feb.total.closedOnTime} 件，按期结案率 ${pct(feb.total.onTimeRate)}`,
    );
    const momRatio = (feb.total.reported - jan.total.reported) / jan.total.reported;
    expect(text).toContain(
      `环比${momRatio > 0 ? '上升' : '下降'} ${pct(Math.abs(momRatio))}，同比无可比数据`,
    );
    expect(text).toContain(`已发布的综合评价《2026年2月综合评价》`);
    for (const d of published.tables.district)
      expect(text).toContain(`${d.rank}\n${d.subjectName}\n${d.composite.toFixed(2)}\n${d.grade}`);
    const top = feb.topCategories[0];
    expect(text).toContain(`上报最多的小类为${top.label}（${top.reported} 件`);
    expect(text).toContain('八、分析与决策参考');
    expect(text).toMatch(/依据规则：/);
    // Charts are embedded as PNG images.
    const media = Object.keys(unzipSync(new Uint8Array(file))).filter((n) => n.startsWith('word/media/'));
    expect(media.length).toBeGreaterThanOrEqual(4);
    expect(media.every((n) => n.endsWith('.png'))).toBe(true);

    // LibreOffice opens it and renders pages (the first page kept as an image to look at).
    const soffice = sofficePath();
    if (!soffice)
      throw new Error(
        'LibreOffice (soffice) is required by this test: apt-get install libreoffice-writer-nogui',
      );
    const dir = mkdtempSync(join(tmpdir(), 'report-test-'));
    writeFileSync(join(dir, 'report.docx'), file);
    execFileSync(
      soffice,
      [
        `-env:UserInstallation=file://${dir}/profile`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        join(dir, 'report.docx'),
      ],
      { timeout: 180_000 },
    );
    const info = execFileSync('pdfinfo', [join(dir, 'report.pdf')]).toString();
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(4);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '3',
      join(dir, 'report.pdf'),
      join(dir, 'page'),
    ]);
    const first = readFileSync(join(dir, pages >= 10 ? 'page-01.png' : 'page-1.png'));
    expect(first.subarray(1, 4).toString()).toBe('PNG');
    writeFileSync(join(tmpdir(), `monthly-report-${kind}-page1.png`), first);
  }, 600_000);

  it('makes a PDF through LibreOffice', async () => {
    const { file, headers } = await make('pdf');
    expect(headers['content-type']).toBe('application/pdf');
    expect(file.subarray(0, 5).toString()).toBe('%PDF-');
  }, 600_000);

  it('the scheduler enqueues the month just ended once', async () => {
    const queue = tableJobQueue(ts.store, {});
    defineReportJobs(queue, 'facts');
    const now = new Date('2026-03-01T02:00:00+08:00');
    const first = await scheduleMonthlyReports(ts.store, queue, now);
    expect(first).toEqual(sofficePath() ? ['docx', 'pdf'] : ['docx']);
    expect(await scheduleMonthlyReports(ts.store, queue, now)).toEqual([]);
    // A month without cases gets no report.
    expect(await scheduleMonthlyReports(ts.store, queue, new Date('2026-06-02T00:00:00+08:00'))).toEqual([]);
  });
});
