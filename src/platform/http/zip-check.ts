/**
 * A cheap up-front check that an upload is a whole ZIP archive (an .xlsx workbook or a zipped
 * shapefile is one), before it is queued as a job: the local file header at the start and the
 * end-of-central-directory record in the last 64 KiB + 22 bytes. Garbage is refused at once with
 * a 400 and nothing queued; a damaged archive that passes fails in its job, writing nothing.
 */
const LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const END_OF_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const TAIL = 0xffff + 22;

export function looksLikeZip(body: Uint8Array): boolean {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (buf.length < 22 || !buf.subarray(0, 4).equals(LOCAL_HEADER)) return false;
  return buf.subarray(Math.max(0, buf.length - TAIL)).lastIndexOf(END_OF_DIRECTORY) >= 0;
}
