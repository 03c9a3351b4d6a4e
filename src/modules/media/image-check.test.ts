/** The decode check every upload passes: whole images in, truncated or corrupt ones out. */
import fs from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { PNG as ONE_PIXEL_PNG } from '../cases/testkit.js';
import { checkImage } from './image-check.js';
import { type MediaType, sniffImage } from './service.js';
import { jpegWithMetadata, tinyJpeg, tinyPng, tinyWebp } from './test-images.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/images');
/** Made by Chromium's canvas encoder (what the field app uploads): lossy, alpha and lossless WebP, JPEG. */
const chromium = Object.fromEntries(
  fs.readdirSync(FIXTURES).map((f) => [f, fs.readFileSync(path.join(FIXTURES, f))]),
) as Record<string, Buffer>;

const SAMPLES: Array<[string, Buffer]> = [
  ['tiny jpeg', tinyJpeg()],
  ['jpeg with EXIF, XMP, comment', jpegWithMetadata()],
  ['tiny png', tinyPng()],
  ['png with text chunks', tinyPng(true)],
  ['1×1 png', ONE_PIXEL_PNG],
  ['tiny webp', tinyWebp()],
  ['webp with metadata', tinyWebp(true)],
  ...Object.entries(chromium),
];

const typeOf = (buf: Buffer) => sniffImage(buf) as MediaType;
async function refusal(type: MediaType, buf: Buffer): Promise<string | null> {
  try {
    await checkImage(type, buf);
    return null;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    expect(e.code).toBe('MEDIA_IMAGE_MALFORMED');
    return (e.details as { reason: string }).reason;
  }
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** A 2×2 RGB PNG whose image data is `raw` (well-formed chunks, valid CRCs). */
const png2x2 = (raw: Buffer) => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
};

describe('image decode check (pure)', () => {
  it.each(SAMPLES)('accepts a whole image: %s', async (_name, buf) => {
    expect(await refusal(typeOf(buf), buf)).toBeNull();
    // Bytes after the end of the image are ignored, as decoders do.
    expect(await refusal(typeOf(buf), Buffer.concat([buf, Buffer.from([0])]))).toBeNull();
  });

  it.each(SAMPLES)('refuses every truncation: %s', async (_name, buf) => {
    const type = typeOf(buf);
    for (let cut = 1; cut < buf.length; cut++) {
      expect(await refusal(type, buf.subarray(0, cut)), `cut at ${cut}`).not.toBeNull();
    }
  });

  it('PNG: any corrupted byte is caught (CRC, layout or image data)', async () => {
    for (const buf of [tinyPng(), tinyPng(true), ONE_PIXEL_PNG]) {
      await fc.assert(
        fc.asyncProperty(fc.nat(buf.length - 1), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
          const bad = Buffer.from(buf);
          bad[at] = (bad[at] as number) ^ mask;
          expect(await refusal('image/png', bad)).not.toBeNull();
        }),
      );
    }
  });

  it('PNG: image data that inflates to the wrong size or with a bad filter type is refused', async () => {
    const row = (filter: number) => Buffer.from([filter, 1, 2, 3, 4, 5, 6]);
    expect(await refusal('image/png', png2x2(Buffer.concat([row(0), row(4)])))).toBeNull();
    expect(await refusal('image/png', png2x2(row(0)))).toBe('image data size');
    expect(await refusal('image/png', png2x2(Buffer.concat([row(0), row(0), row(0)])))).toBe(
      'image data size',
    );
    expect(await refusal('image/png', png2x2(Buffer.concat([row(0), row(5)])))).toBe('scanline filter');
  });

  it('JPEG: magic bytes followed by anything else are refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 200 }), async (tail) => {
        const buf = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from(tail)]);
        expect(await refusal('image/jpeg', buf)).not.toBeNull();
      }),
    );
    const jpeg = tinyJpeg();
    // No frame header: SOF0 turned into an application segment.
    const noFrame = Buffer.from(jpeg);
    noFrame[noFrame.indexOf(Buffer.from([0xff, 0xc0])) + 1] = 0xe5;
    expect(await refusal('image/jpeg', noFrame)).toBe('scan before frame header');
    // A segment length running past the end.
    const longSegment = Buffer.from(jpeg);
    longSegment.writeUInt16BE(0xfff0, 4);
    expect(await refusal('image/jpeg', longSegment)).toMatch(/segment length/);
  });

  it('WebP: RIFF size, chunk sizes and the image header are checked', async () => {
    const webp = chromium['chromium-lossy.webp'] as Buffer;
    const riff = Buffer.from(webp);
    riff.writeUInt32LE(webp.length, 4);
    expect(await refusal('image/webp', riff)).toMatch(/RIFF size/);
    const vp8 = webp.indexOf('VP8 ', 12, 'latin1');
    const startCode = Buffer.from(webp);
    startCode[vp8 + 8 + 3] = 0;
    expect(await refusal('image/webp', startCode)).toBe('VP8 start code');
    const lossless = Buffer.from(tinyWebp());
    lossless[lossless.indexOf('VP8L', 12, 'latin1') + 8] = 0x2e;
    expect(await refusal('image/webp', lossless)).toBe('VP8L signature');
    const canvas = Buffer.from(webp);
    canvas[12 + 8 + 4] = (canvas[12 + 8 + 4] as number) ^ 1;
    expect(await refusal('image/webp', canvas)).toBe('canvas size');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), async (tail) => {
        const head = Buffer.from('RIFF\0\0\0\0WEBP', 'latin1');
        const buf = Buffer.concat([head, Buffer.from(tail)]);
        buf.writeUInt32LE(buf.length - 8, 4);
        expect(await refusal('image/webp', buf)).not.toBeNull();
      }),
    );
  });
});
