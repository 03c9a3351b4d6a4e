/** Metadata removal on files built byte by byte (test-images.ts): GPS must not survive. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { stripJpeg, stripMetadata, stripPng, stripWebp } from './metadata.js';
import { sniffImage } from './service.js';
import {
  exifWithGps,
  jpegWithMetadata,
  tinyJpeg,
  tinyPng,
  tinyWebp,
  WEBP_FLAG_EXIF,
  WEBP_FLAG_XMP,
} from './test-images.js';

const has = (buf: Buffer, text: string) => buf.includes(Buffer.from(text, 'latin1'));
const malformed = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('MEDIA_IMAGE_MALFORMED');
    return;
  }
  throw new Error('expected MEDIA_IMAGE_MALFORMED');
};

describe('photo metadata removal', () => {
  it('JPEG: drops EXIF (with GPS), XMP and comments, keeps every decoding segment byte for byte', () => {
    const phone = jpegWithMetadata();
    expect(has(phone, 'Exif')).toBe(true);
    expect(phone.includes(exifWithGps().subarray(6))).toBe(true);
    const clean = stripJpeg(phone);
    expect(clean.equals(tinyJpeg())).toBe(true);
    expect(has(clean, 'Exif')).toBe(false);
    expect(has(clean, 'xmpmeta')).toBe(false);
    expect(clean.includes(Buffer.from('锦江区'))).toBe(false);
    expect(sniffImage(clean)).toBe('image/jpeg');
    // A clean file passes through unchanged.
    expect(stripJpeg(tinyJpeg()).equals(tinyJpeg())).toBe(true);
  });

  it('JPEG: scan data with stuffed bytes and restart markers is copied through; ICC profiles stay', () => {
    const base = tinyJpeg();
    const sosEnd = base.length - 3; // before the one scan byte and EOI
    const scan = Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]);
    const icc = Buffer.concat([
      Buffer.from([0xff, 0xe2, 0x00, 0x10]),
      Buffer.from('ICC_PROFILE\0\x01\x01', 'latin1'),
    ]);
    const file = Buffer.concat([
      base.subarray(0, 2),
      icc,
      base.subarray(2, sosEnd),
      scan,
      Buffer.from([0xff, 0xd9]),
    ]);
    const clean = stripJpeg(file);
    expect(clean.equals(file)).toBe(true);
  });

  it('JPEG: truncated or foreign bytes are refused', () => {
    malformed(() => stripJpeg(Buffer.from('not a jpeg')));
    malformed(() => stripJpeg(jpegWithMetadata().subarray(0, 40)));
    const noEnd = tinyJpeg().subarray(0, tinyJpeg().length - 2);
    malformed(() => stripJpeg(noEnd));
  });

  it('PNG: drops tEXt, iTXt, eXIf and tIME chunks, keeps the image chunks', () => {
    const phone = tinyPng(true);
    expect(has(phone, 'eXIf')).toBe(true);
    const clean = stripPng(phone);
    expect(clean.equals(tinyPng(false))).toBe(true);
    for (const t of ['tEXt', 'iTXt', 'eXIf', 'tIME', 'GPS']) expect(has(clean, t)).toBe(false);
    malformed(() => stripPng(phone.subarray(0, phone.length - 12)));
    malformed(() => stripPng(Buffer.from('nope')));
  });

  it('WebP: drops EXIF and XMP chunks, clears their VP8X flags and fixes the RIFF size', () => {
    const phone = tinyWebp(true);
    expect(phone[20]).toBe(WEBP_FLAG_EXIF | WEBP_FLAG_XMP);
    const clean = stripWebp(phone);
    expect(clean.equals(tinyWebp(false))).toBe(true);
    expect(clean.readUInt32LE(4)).toBe(clean.length - 8);
    expect(has(clean, 'EXIF')).toBe(false);
    expect(has(clean, 'XMP ')).toBe(false);
    expect(sniffImage(clean)).toBe('image/webp');
    malformed(() => stripWebp(phone.subarray(0, 30)));
  });

  it('dispatches on the media type', () => {
    expect(stripMetadata('image/jpeg', jpegWithMetadata()).equals(tinyJpeg())).toBe(true);
    expect(stripMetadata('image/png', tinyPng(true)).equals(tinyPng())).toBe(true);
    expect(stripMetadata('image/webp', tinyWebp(true)).equals(tinyWebp())).toBe(true);
  });
});
