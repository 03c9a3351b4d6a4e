/**
 * 案卷导出 as a background job: tens of thousands of cases are read page by page and written into
 * the workbook as they come, off the request's path. POST /cases/exports answers 202 with the
 * job; the asker follows GET /jobs/{id} and downloads GET /jobs/{id}/result.
 */

import { XLSX_TYPE } from '../../platform/http/xlsx-export.js';
import type { JobQueue } from '../../platform/jobs/port.js';
import { type ExportQuery, exportCases, MAX_CASE_EXPORT } from './export.js';

export const CASE_EXPORT = 'cases.export';

export function defineCaseExportJob(jobs: JobQueue): void {
  jobs.define<ExportQuery>({
    kind: CASE_EXPORT,
    permission: 'case.read',
    async run(job) {
      await job.progress(1, '准备中 · preparing');
      const file = await exportCases(
        { db: job.db, actor: job.actor, meta: { ip: null, requestId: `job:${job.id}`, userAgent: null } },
        job.params,
        MAX_CASE_EXPORT,
        (done, total) => job.progress(total === 0 ? 98 : 1 + (done / total) * 97, `${done} / ${total}`),
      );
      return {
        file: { body: file.body, name: file.filename, asciiName: file.asciiFallback, type: XLSX_TYPE },
      };
    },
  });
}
