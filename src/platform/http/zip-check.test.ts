import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { looksLikeZip } from './zip-check.js';

describe('looksLikeZip', () => {
  const zip = Buffer.from(zipSync({ 'a.txt': new TextEncoder().encode('hello') }));

  it('takes a whole archive', () => {
    expect(looksLikeZip(zip)).toBe(true);
  });

  it('refuses garbage, an empty body, a truncated archive and a bare header', () => {
    expect(looksLikeZip(Buffer.from('not a workbook at all, just text'))).toBe(false);
    expect(looksLikeZip(Buffer.alloc(0))).toBe(false);
    expect(looksLikeZip(zip.subarray(0, zip.length - 22))).toBe(false);
    expect(looksLikeZip(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]))).toBe(
      false,
    );
  });
});
