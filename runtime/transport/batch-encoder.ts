// Turns queued events into the NDJSON bytes of one gzip write. An event that cannot be encoded (a cycle, a
// BigInt) is counted as skipped on its request and dropped: the first such event is a warning, later ones
// debug lines, so a steady stream of bad events cannot flood the log.
import type { Logger } from '../config-types.js';
import { encodeLine } from './encode.js';
import { EncodedLines } from './encoded-lines.js';
import type { IntakeRequest } from './intake-request.js';
import type { BoundedEventQueue } from './queue.js';
import type { EventKind } from './transport.js';

// Events encoded here per gzip write. Each write costs ~20 µs of the sending thread's CPU whatever its size (stream
// bookkeeping, the thread-pool round trip): ~80 ns per event at 256, ~20 at 1024. A larger batch makes no tick longer:
// a pump takes everything queued in one tick anyway. Lines that come encoded (the transport worker's runs) are not
// counted against it: the worker compresses each write in place, where a gzip call costs ~25 µs of set-up, and
// fewer, larger calls are cheaper; the request's byte limit bounds them.
const BATCH_SIZE = 1024;

export interface EncodedBatch {
  /** The NDJSON lines of the encodable events, in order, in as few pieces as they allow. */
  chunks: Buffer[];
  /** Events taken from the queue, the skipped ones included. */
  count: number;
}

/** Reports events that cannot be encoded: the first as a warning, later ones at debug. */
export class UnencodableLog {
  private reported = false;

  constructor(private readonly logger: Logger) {}

  report(kind: EventKind, error: unknown): void {
    const line = `a ${kind} event cannot be encoded and is dropped: ${(error as Error)?.message ?? error}`;
    if (this.reported) {
      this.logger.debug(line);
      return;
    }
    this.reported = true;
    this.logger.warn(line);
  }
}

export class BatchEncoder {
  private readonly unencodable: UnencodableLog;

  constructor(logger: Logger) {
    this.unencodable = new UnencodableLog(logger);
  }

  /**
   * Takes events from the queue for `request`: at least one, at most BATCH_SIZE encoded here, and none after the one
   * that brings the request to `byteLimit`, so a request ends within one event of apiRequestSize (a string's length
   * approximates its bytes).
   */
  take(queue: BoundedEventQueue, request: IntakeRequest, byteLimit: number): EncodedBatch {
    const chunks: Buffer[] = [];
    // Lines encoded here gather in one string; encoded lines, in runs of one buffer.
    let text = '';
    let run: Buffer | undefined;
    let runStart = 0;
    let runEnd = 0;
    let size = 0;
    let count = 0;
    let encodedHere = 0;
    while (queue.length > 0) {
      const kind = queue.headKind as EventKind;
      const head = queue.headEvent;
      if (head instanceof EncodedLines) {
        // Up to the line that brings the request to byteLimit (at least one).
        const lines = queue.shift(head.linesReaching(byteLimit - request.bytes - size)) as EncodedLines;
        count += lines.count;
        if (text.length > 0) {
          chunks.push(Buffer.from(text, 'utf8'));
          text = '';
        }
        if (lines.buffer !== run || lines.start !== runEnd) {
          if (run !== undefined) chunks.push(run.subarray(runStart, runEnd));
          run = lines.buffer;
          runStart = lines.start;
        }
        runEnd = lines.end;
        size += runEnd - lines.start;
      } else {
        const event = queue.shift();
        count++;
        encodedHere++;
        if (run !== undefined) {
          chunks.push(run.subarray(runStart, runEnd));
          run = undefined;
        }
        try {
          const line = encodeLine(kind, event);
          text += line;
          size += line.length;
        } catch (error) {
          request.skipped++;
          this.unencodable.report(kind, error);
        }
      }
      if (encodedHere >= BATCH_SIZE || request.bytes + size >= byteLimit) break;
    }
    if (text.length > 0) chunks.push(Buffer.from(text, 'utf8'));
    if (run !== undefined) chunks.push(run.subarray(runStart, runEnd));
    return { chunks, count };
  }
}
