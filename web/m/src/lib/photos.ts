/**
 * Photos are shrunk on the phone before they are stored or sent: a 12-megapixel camera shot is
 * 4–6 MB, the same scene at ≤1600 px JPEG is 200–400 kB, which matters on a weak signal.
 */
export const MAX_SIDE = 1600;
const QUALITY = 0.82;

async function decode(file: Blob): Promise<{ source: CanvasImageSource; width: number; height: number }> {
  if (typeof createImageBitmap === 'function') {
    // from-image: the camera's EXIF orientation is applied, so portrait shots stay upright.
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    return { source: bitmap, width: bitmap.width, height: bitmap.height };
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return { source: img, width: img.naturalWidth, height: img.naturalHeight };
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A JPEG of at most MAX_SIDE pixels on its long side (re-encoded, which also drops EXIF/GPS). */
export async function resizePhoto(file: Blob): Promise<Blob> {
  const { source, width, height } = await decode(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas 2d unavailable');
  ctx.drawImage(source, 0, 0, w, h);
  if ('close' in source && typeof source.close === 'function') source.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
  if (!blob) throw new Error('photo could not be encoded');
  return blob;
}
