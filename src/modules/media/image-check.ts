/**
 * Is an uploaded photo a whole, readable image? Every upload (staff and public) goes through
 * `checkImage` before it is stored: magic bytes alone let truncated and corrupt files in, which
 * then fail in every browser that shows the case.
 *
 * What is verified, without any native decoder:
 * - PNG: the chunk layout to IEND, every chunk's CRC, a valid IHDR (and PLTE where needed),
 *   and the image data itself: the IDAT stream is inflated and must hold exactly the scanlines
 *   IHDR announces, each with a valid filter type.
 * - JPEG: every marker segment from SOI to EOI with its length, one frame header (SOF) with
 *   sane dimensions and components, quantisation (and Huffman) tables before the first scan,
 *   scans that name the frame's components, entropy-coded data up to the next marker.
 * - WebP: the RIFF size, every chunk's size inside it, and the image chunk's own header
 *   (VP8 key-frame start code and dimensions, VP8L signature and version, VP8X canvas with an
 *   image or animation frames).
 * Bytes after the end of the image (EOI, IEND, the RIFF size) are ignored, as decoders do.
 */
import { promisify } from 'node:util';
import { crc32, inflate } from 'node:zlib';
import { AppError } from '../../platform/errors.js';
import type { MediaType } from './service.js';

const inflateAsync = promisify(inflate);

/** Largest image accepted, in pixels: far above any phone camera, well below a decompression bomb. */
export const MAX_IMAGE_PIXELS = 100_000_000;

const malformed = (format: string, reason: string) =>
  new AppError('MEDIA_IMAGE_MALFORMED', { details: { format, reason } });

// ——— PNG ———

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Allowed bit depths per colour type (PNG spec table 11.1). */
const PNG_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7 passes: x start, y start, x step, y step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

interface PngHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  interlaced: boolean;
}

/** Sizes in bytes of each scanline (filter byte included), pass by pass. */
function pngScanlines(h: PngHeader): Array<{ rows: number; bytes: number }> {
  const lineBytes = (w: number) => 1 + Math.ceil((w * h.bitsPerPixel) / 8);
  if (!h.interlaced) return [{ rows: h.height, bytes: lineBytes(h.width) }];
  return ADAM7.map(([x0, y0, dx, dy]) => {
    const w = Math.ceil((h.width - x0) / dx);
    const rows = Math.ceil((h.height - y0) / dy);
    return w > 0 && rows > 0 ? { rows, bytes: lineBytes(w) } : { rows: 0, bytes: 0 };
  });
}

function pngHeader(data: Buffer): PngHeader {
  if (data.length !== 13) throw malformed('png', 'IHDR length');
  const width = data.readUInt32BE(0);
  const height = data.readUInt32BE(4);
  const [depth, colour, compression, filter, interlace] = data.subarray(8) as unknown as number[];
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
    throw malformed('png', 'dimensions');
  }
  if (width * height > MAX_IMAGE_PIXELS) throw malformed('png', 'too many pixels');
  if (!PNG_DEPTHS[colour as number]?.includes(depth as number))
    throw malformed('png', 'bit depth / colour type');
  if (compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1)) {
    throw malformed('png', 'IHDR method');
  }
  return {
    width,
    height,
    bitsPerPixel: (depth as number) * (PNG_CHANNELS[colour as number] as number),
    interlaced: interlace === 1,
  };
}

async function checkPng(buf: Buffer): Promise<void> {
  if (buf.length < 8 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw malformed('png', 'no signature');
  let header: PngHeader | null = null;
  let colourType = -1;
  let palette = false;
  const idat: Buffer[] = [];
  let idatDone = false;
  let i = 8;
  for (;;) {
    if (i + 12 > buf.length) throw malformed('png', 'no IEND chunk');
    const length = buf.readUInt32BE(i);
    if (length > 0x7fffffff || i + 12 + length > buf.length) throw malformed('png', 'chunk length');
    const type = buf.toString('latin1', i + 4, i + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw malformed('png', 'chunk type');
    const data = buf.subarray(i + 8, i + 8 + length);
    if (crc32(buf.subarray(i + 4, i + 8 + length)) !== buf.readUInt32BE(i + 8 + length)) {
      throw malformed('png', `${type} CRC`);
    }
    i += 12 + length;
    if (header === null) {
      if (type !== 'IHDR') throw malformed('png', 'IHDR not first');
      header = pngHeader(data);
      colourType = data[9] as number;
      continue;
    }
    if (type === 'IHDR') throw malformed('png', 'second IHDR');
    if (type === 'PLTE') palette = true;
    if (type === 'IDAT') {
      if (idatDone) throw malformed('png', 'IDAT chunks not consecutive');
      idat.push(data);
      continue;
    }
    if (idat.length > 0) idatDone = true;
    if (type === 'IEND') break;
    // An unknown critical chunk (upper-case first letter) cannot be decoded.
    if (/^[A-Z]/.test(type) && type !== 'PLTE') throw malformed('png', `unknown critical chunk ${type}`);
  }
  if (colourType === 3 && !palette) throw malformed('png', 'no palette');
  if (idat.length === 0 || header === null) throw malformed('png', 'no image data');
  const lines = pngScanlines(header);
  const expected = lines.reduce((sum, l) => sum + l.rows * l.bytes, 0);
  let raw: Buffer;
  try {
    // One byte more than expected: a longer stream is caught without inflating all of it.
    raw = await inflateAsync(Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch (err) {
    const tooLong = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw malformed('png', tooLong ? 'image data size' : 'image data does not inflate');
  }
  if (raw.length !== expected) throw malformed('png', 'image data size');
  let at = 0;
  for (const l of lines) {
    for (let r = 0; r < l.rows; r++, at += l.bytes) {
      if ((raw[at] as number) > 4) throw malformed('png', 'scanline filter');
    }
  }
}

// ——— JPEG ———

const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** Arithmetic-coded frames carry no Huffman tables. */
const isArithmetic = (m: number) => m >= 0xc9 && m <= 0xcf;

/** End of entropy-coded data: the next marker that is neither a stuffed 0xFF00 nor a restart. */
function scanEnd(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length - 1; i++) {
    if (buf[i] !== 0xff) continue;
    const next = buf[i + 1] as number;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
    return i;
  }
  throw malformed('jpeg', 'truncated scan (no end of image)');
}

function checkJpeg(buf: Buffer): void {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) throw malformed('jpeg', 'no start of image');
  let components: number[] | null = null;
  let sofMarker = 0;
  let quantTables = false;
  let huffmanTables = false;
  let scans = 0;
  let i = 2;
  while (i < buf.length) {
    if (buf[i] !== 0xff) throw malformed('jpeg', `no marker at ${i}`);
    while (buf[i + 1] === 0xff) i++; // fill bytes
    const marker = buf[i + 1];
    if (marker === undefined) break;
    if (marker === 0xd9) {
      if (components === null) throw malformed('jpeg', 'no frame header');
      if (scans === 0) throw malformed('jpeg', 'no scan');
      return;
    }
    if (marker === 0xd8 || marker === 0x00) throw malformed('jpeg', `unexpected marker at ${i}`);
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (i + 4 > buf.length) break;
    const length = buf.readUInt16BE(i + 2);
    const end = i + 2 + length;
    if (length < 2 || end > buf.length) throw malformed('jpeg', `segment length at ${i}`);
    const body = buf.subarray(i + 4, end);
    if (isSof(marker)) {
      if (components !== null) throw malformed('jpeg', 'second frame header');
      const n = body[5] ?? 0;
      const precision = body[0];
      const height = body.length >= 5 ? body.readUInt16BE(1) : 0;
      const width = body.length >= 5 ? body.readUInt16BE(3) : 0;
      if (n < 1 || n > 4 || body.length !== 6 + 3 * n) throw malformed('jpeg', 'frame header');
      if (precision !== 8 && precision !== 12 && precision !== 16)
        throw malformed('jpeg', 'sample precision');
      if (width === 0 || height === 0) throw malformed('jpeg', 'dimensions');
      if (width * height > MAX_IMAGE_PIXELS) throw malformed('jpeg', 'too many pixels');
      components = Array.from({ length: n }, (_, k) => body[6 + 3 * k] as number);
      sofMarker = marker;
    } else if (marker === 0xdb) {
      quantTables ||= body.length >= 65;
    } else if (marker === 0xc4) {
      huffmanTables ||= body.length >= 17;
    } else if (marker === 0xda) {
      if (components === null) throw malformed('jpeg', 'scan before frame header');
      if (!quantTables) throw malformed('jpeg', 'no quantisation table');
      if (!huffmanTables && !isArithmetic(sofMarker)) throw malformed('jpeg', 'no Huffman table');
      const ns = body[0] ?? 0;
      if (ns < 1 || ns > 4 || body.length !== 4 + 2 * ns) throw malformed('jpeg', 'scan header');
      for (let k = 0; k < ns; k++) {
        if (!components.includes(body[1 + 2 * k] as number)) throw malformed('jpeg', 'scan component');
      }
      const stop = scanEnd(buf, end);
      if (stop === end) throw malformed('jpeg', 'empty scan');
      scans++;
      i = stop;
      continue;
    }
    i = end;
  }
  throw malformed('jpeg', 'truncated (no end of image)');
}

// ——— WebP ———

function checkVp8(data: Buffer): { width: number; height: number } {
  if (data.length < 10) throw malformed('webp', 'VP8 header');
  const tag = (data[0] as number) | ((data[1] as number) << 8) | ((data[2] as number) << 16);
  const keyFrame = (tag & 1) === 0;
  const version = (tag >> 1) & 7;
  const shown = (tag >> 4) & 1;
  const firstPartition = tag >> 5;
  if (!keyFrame || version > 3 || !shown || firstPartition === 0 || firstPartition > data.length - 10) {
    throw malformed('webp', 'VP8 frame tag');
  }
  if (data[3] !== 0x9d || data[4] !== 0x01 || data[5] !== 0x2a) throw malformed('webp', 'VP8 start code');
  const width = data.readUInt16LE(6) & 0x3fff;
  const height = data.readUInt16LE(8) & 0x3fff;
  if (width === 0 || height === 0) throw malformed('webp', 'VP8 dimensions');
  return { width, height };
}

function checkVp8l(data: Buffer): { width: number; height: number } {
  if (data.length < 6 || data[0] !== 0x2f) throw malformed('webp', 'VP8L signature');
  const bits = data.readUInt32LE(1);
  if (bits >>> 29 !== 0) throw malformed('webp', 'VP8L version');
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}

function checkWebp(buf: Buffer): void {
  if (
    buf.length < 20 ||
    buf.toString('latin1', 0, 4) !== 'RIFF' ||
    buf.toString('latin1', 8, 12) !== 'WEBP'
  ) {
    throw malformed('webp', 'no RIFF/WEBP header');
  }
  const riffEnd = 8 + buf.readUInt32LE(4);
  if (riffEnd > buf.length) throw malformed('webp', 'truncated (RIFF size)');
  const chunks: Array<{ fourcc: string; data: Buffer }> = [];
  let i = 12;
  while (i < riffEnd) {
    if (i + 8 > riffEnd) throw malformed('webp', 'truncated chunk header');
    const fourcc = buf.toString('latin1', i, i + 4);
    const size = buf.readUInt32LE(i + 4);
    if (i + 8 + size > riffEnd) throw malformed('webp', `chunk ${fourcc} size`);
    chunks.push({ fourcc, data: buf.subarray(i + 8, i + 8 + size) });
    i += 8 + size + (size % 2);
  }
  const first = chunks[0];
  if (!first) throw malformed('webp', 'no image chunk');
  if (first.fourcc === 'VP8 ') return void checkVp8(first.data);
  if (first.fourcc === 'VP8L') return void checkVp8l(first.data);
  if (first.fourcc !== 'VP8X' || first.data.length < 10) throw malformed('webp', 'no image chunk');
  const flags = first.data[0] as number;
  const canvasWidth = first.data.readUIntLE(4, 3) + 1;
  const canvasHeight = first.data.readUIntLE(7, 3) + 1;
  if (canvasWidth * canvasHeight > MAX_IMAGE_PIXELS) throw malformed('webp', 'too many pixels');
  if (flags & 0x02) {
    if (!chunks.some((c) => c.fourcc === 'ANIM') || !chunks.some((c) => c.fourcc === 'ANMF')) {
      throw malformed('webp', 'animation without frames');
    }
    return;
  }
  const images = chunks.filter((c) => c.fourcc === 'VP8 ' || c.fourcc === 'VP8L');
  const image = images[0];
  if (images.length !== 1 || !image) throw malformed('webp', 'not exactly one image chunk');
  const size = image.fourcc === 'VP8 ' ? checkVp8(image.data) : checkVp8l(image.data);
  if (size.width !== canvasWidth || size.height !== canvasHeight) throw malformed('webp', 'canvas size');
}

/** Throws MEDIA_IMAGE_MALFORMED unless `buf` is a complete, well-formed image of `type`. */
export async function checkImage(type: MediaType, buf: Buffer): Promise<void> {
  switch (type) {
    case 'image/png':
      return checkPng(buf);
    case 'image/jpeg':
      return checkJpeg(buf);
    case 'image/webp':
      return checkWebp(buf);
  }
}
