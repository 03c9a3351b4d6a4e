/**
 * Small, valid image files built byte by byte for the tests, with and without the metadata a
 * phone camera writes (EXIF with GPS, XMP, comments, text chunks).
 */
import { deflateSync } from 'node:zlib';

const u16be = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const segment = (marker: number, body: Buffer) =>
  Buffer.concat([Buffer.from([0xff, marker]), u16be(body.length + 2), body]);

/** An 8×8 grey baseline JPEG: one DC coefficient, one end-of-block, all from 1-bit Huffman codes. */
export function tinyJpeg(): Buffer {
  const jfif = segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  const dqt = segment(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]));
  const sof = segment(0xc0, Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
  const bits = (symbol: number) =>
    Buffer.concat([Buffer.from([1]), Buffer.alloc(15, 0), Buffer.from([symbol])]);
  const dhtDc = segment(0xc4, Buffer.concat([Buffer.from([0x00]), bits(0x00)]));
  const dhtAc = segment(0xc4, Buffer.concat([Buffer.from([0x10]), bits(0x00)]));
  const sos = segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0]));
  // DC "0" (difference 0), AC "0" (end of block), padded with ones.
  const scan = Buffer.from([0x3f]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jfif,
    dqt,
    sof,
    dhtDc,
    dhtAc,
    sos,
    scan,
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A little-endian TIFF/EXIF block whose IFD0 points to a GPS IFD (30.6578 N, 104.0657 E). */
export function exifWithGps(): Buffer {
  const tiff = Buffer.alloc(128);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  // IFD0: one entry, GPSInfo (0x8825) → GPS IFD at 26.
  tiff.writeUInt16LE(1, 8);
  tiff.writeUInt16LE(0x8825, 10);
  tiff.writeUInt16LE(4, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt32LE(26, 18);
  tiff.writeUInt32LE(0, 22);
  // GPS IFD: LatitudeRef, Latitude, LongitudeRef, Longitude.
  let p = 26;
  tiff.writeUInt16LE(4, p);
  p += 2;
  const entry = (tag: number, type: number, count: number, value: number | string) => {
    tiff.writeUInt16LE(tag, p);
    tiff.writeUInt16LE(type, p + 2);
    tiff.writeUInt32LE(count, p + 4);
    if (typeof value === 'string') tiff.write(value, p + 8, 'latin1');
    else tiff.writeUInt32LE(value, p + 8);
    p += 12;
  };
  entry(1, 2, 2, 'N\0');
  entry(2, 5, 3, 80);
  entry(3, 2, 2, 'E\0');
  entry(4, 5, 3, 104);
  tiff.writeUInt32LE(0, p);
  const rationals = (at: number, values: Array<[number, number]>) =>
    values.forEach(([n, d], i) => {
      tiff.writeUInt32LE(n, at + i * 8);
      tiff.writeUInt32LE(d, at + i * 8 + 4);
    });
  rationals(80, [
    [30, 1],
    [39, 1],
    [2808, 100],
  ]);
  rationals(104, [
    [104, 1],
    [3, 1],
    [5652, 100],
  ]);
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff.subarray(0, 128)]);
}

const XMP = Buffer.from(
  'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description exif:GPSLatitude="30,39.468N"/></x:xmpmeta>',
  'latin1',
);

/** The tiny JPEG with EXIF (GPS), XMP and a comment inserted after SOI, as a phone would write. */
export function jpegWithMetadata(): Buffer {
  const base = tinyJpeg();
  return Buffer.concat([
    base.subarray(0, 2),
    segment(0xe1, exifWithGps()),
    segment(0xe1, XMP),
    segment(0xfe, Buffer.from('shot at home, 锦江区某小区3栋', 'utf8')),
    base.subarray(2),
  ]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A 2×2 RGB PNG, optionally with text, EXIF and time chunks before and after the image data. */
export function tinyPng(withMetadata = false): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  const parts = [PNG_SIG, pngChunk('IHDR', ihdr)];
  if (withMetadata) {
    parts.push(pngChunk('tEXt', Buffer.from('Comment\0GPS 30.6578,104.0657', 'latin1')));
    parts.push(pngChunk('eXIf', exifWithGps().subarray(6)));
    parts.push(pngChunk('tIME', Buffer.from([0x07, 0xea, 5, 1, 8, 30, 0])));
  }
  parts.push(pngChunk('IDAT', deflateSync(raw)));
  if (withMetadata) parts.push(pngChunk('iTXt', Buffer.from('Author\0\0\0\0\0张三', 'utf8')));
  parts.push(pngChunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** The VP8L bitstream of a 1×1 lossless WebP (13 bytes; the RIFF chunk adds a pad byte). */
const VP8L = Buffer.from('LwAAABAHEBERiIj+Bw==', 'base64');

function riffChunk(fourcc: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}
function riff(chunks: Buffer[]): Buffer {
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length + 4, 4);
  head.write('WEBP', 8, 'latin1');
  return Buffer.concat([head, body]);
}
/** VP8X header chunk: flags byte, then canvas width-1 and height-1 as 24-bit little endian. */
function vp8x(flags: number): Buffer {
  const d = Buffer.alloc(10);
  d[0] = flags;
  return riffChunk('VP8X', d);
}

export const WEBP_FLAG_EXIF = 0x08;
export const WEBP_FLAG_XMP = 0x04;

/** A 1×1 extended WebP; with metadata it carries EXIF (GPS) and XMP chunks and their flags. */
export function tinyWebp(withMetadata = false): Buffer {
  if (!withMetadata) return riff([vp8x(0), riffChunk('VP8L', VP8L)]);
  return riff([
    vp8x(WEBP_FLAG_EXIF | WEBP_FLAG_XMP),
    riffChunk('VP8L', VP8L),
    riffChunk('EXIF', exifWithGps().subarray(6)),
    riffChunk('XMP ', XMP),
  ]);
}
