// Reads an intake body as NDJSON lines: decompresses (gzip, deflate or identity) and splits on
// newlines, with every line bounded so a hostile body cannot grow memory without limit.
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

export type LineHandler = (line: Buffer) => void;

/** A line longer than the limit: its bytes were skipped, only its number is reported. */
export type OversizeHandler = (lineNumber: number) => void;

export function decoderFor(
  contentEncoding: string | undefined,
): (() => NodeJS.ReadWriteStream) | 'identity' | undefined {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return 'identity';
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip;
  if (encoding === 'deflate') return createInflate;
  return undefined;
}

/**
 * Feeds every line of the (already decoded) stream to onLine, in order. Lines longer than
 * maxLineBytes are skipped and reported. Rejects when the stream fails (bad gzip, reset).
 */
export async function readLines(
  source: Readable | NodeJS.ReadableStream,
  maxLineBytes: number,
  onLine: LineHandler,
  onOversize: OversizeHandler,
): Promise<void> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversize = false;
  let lineNumber = 0;

  const completeLine = (tail: Buffer): void => {
    lineNumber++;
    if (oversize || pendingBytes + tail.length > maxLineBytes) {
      onOversize(lineNumber);
    } else {
      onLine(pending.length === 0 ? tail : Buffer.concat([...pending, tail]));
    }
    pending = [];
    pendingBytes = 0;
    oversize = false;
  };

  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : (raw as Buffer);
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) {
        const rest = chunk.subarray(start);
        if (!oversize && pendingBytes + rest.length > maxLineBytes) {
          oversize = true; // keep counting the line, stop keeping its bytes
          pending = [];
          pendingBytes = 0;
        }
        if (!oversize && rest.length > 0) {
          // Copy: the decoder may reuse its output buffers.
          pending.push(Buffer.from(rest));
          pendingBytes += rest.length;
        }
        break;
      }
      completeLine(chunk.subarray(start, newline));
      start = newline + 1;
    }
  }
  if (pendingBytes > 0 || oversize) completeLine(Buffer.alloc(0));
}
