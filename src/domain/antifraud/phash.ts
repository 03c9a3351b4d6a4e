/**
 * Perceptual hash (dHash, 64 bits) of a photo and the Hamming distance between two. dHash
 * compares each pixel of a 9×8 greyscale thumbnail with its right neighbour: a re-encoded,
 * resized, slightly cropped or brightened copy keeps nearly all 64 bits, an unrelated photo
 * differs in about half. The decoding and shrinking happen outside the domain (sharp, in the
 * media module); this file takes the 72 grey values.
 */

export const DHASH_WIDTH = 9;
export const DHASH_HEIGHT = 8;

/** dHash of a 9×8 greyscale thumbnail given row by row (72 values). Bit 63 is the first pair. */
export function dHash(grey: ArrayLike<number>): bigint {
  if (grey.length !== DHASH_WIDTH * DHASH_HEIGHT) {
    throw new RangeError(`dHash needs ${DHASH_WIDTH * DHASH_HEIGHT} grey values, got ${grey.length}`);
  }
  let hash = 0n;
  for (let y = 0; y < DHASH_HEIGHT; y++) {
    for (let x = 0; x < DHASH_WIDTH - 1; x++) {
      const left = grey[y * DHASH_WIDTH + x] as number;
      const right = grey[y * DHASH_WIDTH + x + 1] as number;
      hash = (hash << 1n) | (left > right ? 1n : 0n);
    }
  }
  return hash;
}

const MASK = (1n << 64n) - 1n;

const popcount32 = (v: number): number => {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

/** Number of differing bits between two 64-bit hashes (signed or unsigned form). */
export function hamming(a: bigint, b: bigint): number {
  const x = (a ^ b) & MASK;
  return popcount32(Number(x >> 32n)) + popcount32(Number(x & 0xffffffffn));
}

/** The hash as PostgreSQL's signed bigint holds it. */
export function toSigned64(h: bigint): bigint {
  return BigInt.asIntN(64, h);
}

/** The unsigned 64-bit hash from a signed bigint column (as text or bigint). */
export function fromSigned64(v: bigint | string | number): bigint {
  return BigInt.asUintN(64, BigInt(v));
}

/** 16 hex digits, for display and the API. */
export const hashHex = (h: bigint): string => BigInt.asUintN(64, h).toString(16).padStart(16, '0');
