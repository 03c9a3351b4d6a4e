/**
 * 案卷导出 as a background job: up to 200,000 cases are read page by page and written into
 * the workbook as they come, off the request's path. POST /cases/exports answers 202 with the
 * job; the asker follows GET /jobs/{id} and downloads GET /jobs/{id}/result.
 */

import { XLSX_TYPE } from '../../platform/http/xlsx-export.js';
import type { JobQueue } from '../../platform/jobs/port.js';
import { type ExportQuery, exportCases } from './export.js';

export const CASE_EXPORT = 'cases.export';
/**
 * More rows than the direct export allows (50,000): the rows stream into the workbook page by
 * page, so neither the request's time nor the server's memory bounds them any more.
 */
export const MAX_JOB_EXPORT = 200_000;

export function defineCaseExportJob(jobs: JobQueue): void {
  jobs.define<ExportQuery>({
    kind: CASE_EXPORT,
    permission: 'case.read',
    async run(job) {
      await job.progress(1, '准备中 · preparing');
      const file = await exportCases(
        { db: job.db, actor: job.actor, meta: { ip: null, requestId: `job:${job.id}`, userAgent: null } },
        job.params,
        MAX_JOB_EXPORT,
        (done, total) => job.progress(total === 0 ? 98 : 1 + (done / total) * 97, `${done} / ${total}`),
      );
      return {
        file: { body: file.body, name: file.filename, asciiName: file.asciiFallback, type: XLSX_TYPE },
      };
    },
  });
}
