/**
 * A zipped shapefile (.shp + .dbf, with .prj and .cpg when present) → GeoJSON features,
 * through the `shapefile` package. Chinese DBFs are often GBK without a .cpg: then the
 * records are decoded as UTF-8 when they are valid UTF-8, else as GBK.
 */
import { type Unzipped, unzipSync } from 'fflate';
import * as shapefile from 'shapefile';
import { AppError } from '../../platform/errors.js';

export type DbfEncoding = 'utf-8' | 'gbk';

/** Largest total of the files taken out of the archive (a guard against zip bombs). */
const MAX_UNZIPPED_BYTES = 256 * 1024 * 1024;
const WANTED = /\.(shp|dbf|prj|cpg)$/i;

export interface ShapefileContent {
  features: unknown[];
  prj: string | null;
  encoding: DbfEncoding;
}

const fileError = (zh: string, en: string, details?: Record<string, unknown>) =>
  new AppError('GRID_IMPORT_FILE', { message: { zh, en }, ...(details ? { details } : {}) });

/** The encoding a .cpg names, or null when it names none we read. */
export function encodingOfCpg(text: string): DbfEncoding | null {
  const s = text
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
  if (s === 'UTF8' || s === '65001') return 'utf-8';
  if (['GBK', 'CP936', '936', 'GB2312', 'GB18030', 'ANSI936'].includes(s)) return 'gbk';
  return null;
}

function guessEncoding(dbf: Uint8Array): DbfEncoding {
  const view = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  const headerLength = dbf.byteLength >= 10 ? view.getUint16(8, true) : 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbf.subarray(headerLength));
    return 'utf-8';
  } catch {
    return 'gbk';
  }
}

function unzip(zip: Uint8Array): Unzipped {
  let total = 0;
  try {
    return unzipSync(zip, {
      filter: (f) => {
        if (!WANTED.test(f.name) || f.name.startsWith('__MACOSX/')) return false;
        total += f.originalSize;
        if (total > MAX_UNZIPPED_BYTES) throw new RangeError('too large');
        return true;
      },
    });
  } catch (err) {
    if (err instanceof RangeError) {
      throw fileError('压缩包解压后过大', 'The archive is too large once unzipped', {
        limitBytes: MAX_UNZIPPED_BYTES,
      });
    }
    throw fileError('无法读取 ZIP 压缩包', 'The body is not a readable ZIP archive');
  }
}

/** Reads the one shapefile of a .zip; `encoding` overrides the .cpg and the guess. */
export async function readZippedShapefile(
  zip: Uint8Array,
  encoding?: DbfEncoding,
): Promise<ShapefileContent> {
  const files = unzip(zip);
  const byExt = (ext: string) => Object.keys(files).filter((n) => n.toLowerCase().endsWith(ext));
  const shps = byExt('.shp');
  if (shps.length !== 1) {
    throw fileError(
      `压缩包中应恰好有一个 .shp 文件，实际有 ${shps.length} 个`,
      `The archive must hold exactly one .shp file; it holds ${shps.length}`,
      { shp: shps },
    );
  }
  const base = (shps[0] as string).slice(0, -4);
  const sibling = (ext: string) => {
    const name = Object.keys(files).find((n) => n.toLowerCase() === `${base.toLowerCase()}${ext}`);
    return name ? (files[name] as Uint8Array) : null;
  };
  const shp = files[shps[0] as string] as Uint8Array;
  const dbf = sibling('.dbf');
  if (!dbf) {
    throw fileError(
      `缺少 ${base}.dbf：网格编码等属性在 .dbf 中`,
      `${base}.dbf is missing: the grid codes and other attributes live in the .dbf`,
    );
  }
  const prjBytes = sibling('.prj');
  const cpgBytes = sibling('.cpg');
  const cpg = cpgBytes ? encodingOfCpg(new TextDecoder().decode(cpgBytes)) : null;
  const chosen = encoding ?? cpg ?? guessEncoding(dbf);
  const features: unknown[] = [];
  try {
    const source = await shapefile.open(shp, dbf, { encoding: chosen });
    for (let r = await source.read(); !r.done; r = await source.read()) features.push(r.value);
  } catch (err) {
    throw fileError('无法解析 Shapefile', 'The shapefile cannot be parsed', {
      reason: (err as Error).message,
    });
  }
  return { features, prj: prjBytes ? new TextDecoder().decode(prjBytes) : null, encoding: chosen };
}
