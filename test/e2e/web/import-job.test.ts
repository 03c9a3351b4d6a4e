/**
 * An import in the console runs as a background job (issue #12): the administrator picks a
 * zipped shapefile of a community's grids; the page shows the job's progress bar (read in a
 * worker thread, then checked), then the report; committing runs a second job that writes them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoCity } from '../../../src/domain/demo-city/index.js';
import { gridsOf } from '../../fixtures/grids/demo-files.js';
import { GRID_FIELDS, PRJ, zippedShapefile } from '../../fixtures/grids/shapefile-writer.js';
import {
  type ConsoleServer,
  launchBrowser,
  login,
  openPage,
  screenshot,
  startConsole,
} from '../../helpers/browser.js';

const city = generateDemoCity();
const C = city.divisions.find((d) => d.level === 'community' && d.code.startsWith('510106'))?.code as string;
const CHINESE_CLASS = { A: '一类', B: '二类', C: '三类' } as const;

describe('a grid import as a job in the console', { timeout: 180_000 }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the progress bar, then the report; the commit is a job too', async () => {
    const grids = gridsOf(city, C);
    // The community re-cut as it is, one grid reclassified: a change to commit.
    const zip = zippedShapefile(
      grids.map((g, i) => ({
        rings: [g.ring],
        attributes: {
          CODE: g.code,
          COMMUNITY: g.communityCode,
          AREACLASS: CHINESE_CLASS[i === 0 ? (g.areaClass === 'A' ? 'B' : 'A') : g.areaClass],
        },
      })),
      { fields: GRID_FIELDS, encoding: 'gbk', prj: PRJ.wgs84 },
    );
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'grids-')), 'community.zip');
    fs.writeFileSync(file, zip);

    const { page, context, problems } = await openPage(browser, server.url);
    await login(page, 'admin');
    await page.goto('/admin/grids');
    await page.getByTestId('grid-table').waitFor();
    await page.getByTestId('tab-import').click();
    await page.getByTestId('grid-import').locator('input[type=file]').setInputFiles(file);

    // The job's progress component appears at once (queued or running, with its bar) …
    const job = page.getByTestId('grid-import-job');
    await job.waitFor();
    if ((await job.getAttribute('data-state')) !== 'succeeded') {
      await page.getByTestId('grid-import-job-bar').waitFor();
      await screenshot(page, 'import-job-running');
    }
    // … and ends with the report of the dry run.
    await page.locator('[data-testid="grid-import-job"][data-state="succeeded"]').waitFor();
    const report = page.getByTestId('grid-report');
    await report.waitFor();
    expect(await report.textContent()).toContain(`校验通过：${grids.length} 个网格`);
    expect(await page.getByTestId('action-commit').isDisabled()).toBe(false);
    await screenshot(page, 'import-job-report');

    await page.getByTestId('action-commit').click();
    // The commit's own job: done when the report says so.
    await page.getByTestId('grid-report').getByText('导入完成').first().waitFor();
    expect(await page.getByTestId('grid-import-job').getAttribute('data-state')).toBe('succeeded');
    const changed = await server.test.store.db
      .selectFrom('grids')
      .select('area_class')
      .where('code', '=', grids[0]?.code as string)
      .where('valid_to', 'is', null)
      .executeTakeFirstOrThrow();
    expect(changed.area_class).not.toBe(grids[0]?.areaClass);
    await screenshot(page, 'import-job-committed');
    expect(problems).toEqual([]);
    await context.close();
  });
});
