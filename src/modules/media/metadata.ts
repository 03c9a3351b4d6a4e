/**
 * Removes metadata from photos before the public can see them: EXIF (GPS position, camera serial,
 * time), XMP, IPTC and comments. Plain segment / chunk parsing of the three accepted formats; the
 * pixels are never decoded or re-encoded, so quality is unchanged.
 *
 * Kept: what decoding needs (JPEG JFIF/APP0, Adobe/APP14 colour transform, ICC profiles; PNG and
 * WebP image chunks). The EXIF orientation goes with EXIF: the field app draws photos on a canvas
 * before upload, which already applies the orientation.
 */
import { AppError } from '../../platform/errors.js';
import type { MediaType } from './service.js';

const malformed = (format: string, reason: string) =>
  new AppError('MEDIA_IMAGE_MALFORMED', { details: { format, reason } });

/** JPEG markers that stand alone (no length field). */
const standalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd9);

function keepJpegSegment(marker: number, body: Buffer): boolean {
  if (marker === 0xfe) return false; // COM: free text
  if (marker === 0xe0) return true; // JFIF / JFXX
  if (marker === 0xe2) return body.subarray(0, 12).toString('latin1') === 'ICC_PROFILE\0';
  if (marker === 0xee) return body.subarray(0, 5).toString('latin1') === 'Adobe';
  // APP1 (EXIF, XMP), APP13 (Photoshop / IPTC) and every other application segment.
  return !(marker >= 0xe1 && marker <= 0xef);
}

/** End of entropy-coded data: the next marker that is neither a stuffed 0xFF00 nor a restart. */
function scanEnd(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length - 1; i++) {
    if (buf[i] !== 0xff) continue;
    const next = buf[i + 1] as number;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
    return i;
  }
  throw malformed('jpeg', 'no end of image');
}

export function stripJpeg(buf: Buffer): Buffer {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) throw malformed('jpeg', 'no start of image');
  const out: Buffer[] = [buf.subarray(0, 2)];
  let i = 2;
  while (i < buf.length) {
    if (buf[i] !== 0xff) throw malformed('jpeg', `no marker at ${i}`);
    // Fill bytes (0xFF repeated) may precede a marker.
    while (buf[i + 1] === 0xff) i++;
    const marker = buf[i + 1];
    if (marker === undefined) throw malformed('jpeg', 'truncated marker');
    if (marker === 0xd9) {
      out.push(buf.subarray(i, i + 2));
      return Buffer.concat(out);
    }
    if (standalone(marker)) {
      out.push(buf.subarray(i, i + 2));
      i += 2;
      continue;
    }
    if (i + 4 > buf.length) throw malformed('jpeg', 'truncated segment');
    const length = buf.readUInt16BE(i + 2);
    const end = i + 2 + length;
    if (length < 2 || end > buf.length) throw malformed('jpeg', `segment length at ${i}`);
    if (keepJpegSegment(marker, buf.subarray(i + 4, end))) out.push(buf.subarray(i, end));
    if (marker === 0xda) {
      // Start of scan: the compressed data runs to the next real marker.
      const stop = scanEnd(buf, end);
      out.push(buf.subarray(end, stop));
      i = stop;
    } else {
      i = end;
    }
  }
  throw malformed('jpeg', 'no end of image');
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Text (may hold anything: author, location, comments), EXIF, and the last-modified time. */
const PNG_DROPPED = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

export function stripPng(buf: Buffer): Buffer {
  if (buf.length < 8 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw malformed('png', 'no signature');
  const out: Buffer[] = [buf.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= buf.length) {
    const length = buf.readUInt32BE(i);
    const type = buf.toString('latin1', i + 4, i + 8);
    const end = i + 12 + length;
    if (end > buf.length) throw malformed('png', `chunk ${type} length`);
    if (!PNG_DROPPED.has(type)) out.push(buf.subarray(i, end));
    i = end;
    if (type === 'IEND') return Buffer.concat(out);
  }
  throw malformed('png', 'no IEND chunk');
}

const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

export function stripWebp(buf: Buffer): Buffer {
  if (
    buf.length < 12 ||
    buf.toString('latin1', 0, 4) !== 'RIFF' ||
    buf.toString('latin1', 8, 12) !== 'WEBP'
  ) {
    throw malformed('webp', 'no RIFF/WEBP header');
  }
  const riffEnd = 8 + buf.readUInt32LE(4);
  if (riffEnd > buf.length) throw malformed('webp', 'RIFF size');
  const chunks: Buffer[] = [];
  let i = 12;
  while (i + 8 <= riffEnd) {
    const fourcc = buf.toString('latin1', i, i + 4);
    const size = buf.readUInt32LE(i + 4);
    const end = i + 8 + size + (size % 2);
    if (i + 8 + size > riffEnd) throw malformed('webp', `chunk ${fourcc} size`);
    if (fourcc === 'VP8X') {
      const chunk = Buffer.from(buf.subarray(i, end));
      if (chunk.length > 8) chunk[8] = (chunk[8] as number) & ~(VP8X_EXIF | VP8X_XMP);
      chunks.push(chunk);
    } else if (fourcc !== 'EXIF' && fourcc !== 'XMP ') {
      chunks.push(buf.subarray(i, Math.min(end, riffEnd)));
    }
    i = end;
  }
  if (i < riffEnd) throw malformed('webp', 'trailing bytes');
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

export function stripMetadata(type: MediaType, buf: Buffer): Buffer {
  switch (type) {
    case 'image/jpeg':
      return stripJpeg(buf);
    case 'image/png':
      return stripPng(buf);
    case 'image/webp':
      return stripWebp(buf);
  }
}
