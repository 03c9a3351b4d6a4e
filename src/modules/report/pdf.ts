/**
 * PDF through LibreOffice: the .docx is the one layout, `soffice --headless --convert-to pdf`
 * renders it (fonts, tables, images) the way a reader's office suite would. A server without
 * LibreOffice answers REPORT_PDF_UNAVAILABLE rather than a half-made PDF. Each conversion gets
 * its own profile directory, so conversions in parallel do not share (and lock) one profile.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../platform/errors.js';

export const PDF_TYPE = 'application/pdf';

/** The soffice binary (REPORT_SOFFICE, else on PATH), or null. */
export function sofficePath(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.REPORT_SOFFICE) return existsSync(env.REPORT_SOFFICE) ? env.REPORT_SOFFICE : null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const name of ['soffice', 'libreoffice']) {
      const file = join(dir, name);
      if (dir && existsSync(file)) return file;
    }
  }
  return null;
}

export async function docxToPdf(docx: Buffer, signal?: AbortSignal): Promise<Buffer> {
  const soffice = sofficePath();
  if (!soffice) throw new AppError('REPORT_PDF_UNAVAILABLE');
  const dir = await mkdtemp(join(tmpdir(), 'cityloop-report-'));
  try {
    const input = join(dir, 'report.docx');
    await writeFile(input, docx);
    const profile = pathToFileURL(join(dir, 'profile')).href;
    await new Promise<void>((resolve, reject) => {
      execFile(
        soffice,
        [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, input],
        { timeout: 180_000, ...(signal ? { signal } : {}) },
        (err, _stdout, stderr) =>
          err
            ? reject(new AppError('REPORT_PDF_FAILED', { details: { stderr: String(stderr).slice(0, 500) } }))
            : resolve(),
      );
    });
    const out = join(dir, 'report.pdf');
    if (!existsSync(out)) throw new AppError('REPORT_PDF_FAILED', { details: { reason: 'no output file' } });
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
