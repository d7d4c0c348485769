// Turns queued events into the NDJSON bytes of one gzip write. An event that cannot be encoded (a cycle, a
// BigInt) is counted as skipped on its request and dropped: the first such event is a warning, later ones
// debug lines, so a steady stream of bad events cannot flood the log.
import type { Logger } from '../config-types.js';
import { encodeLine } from './encode.js';
import type { IntakeRequest } from './intake-request.js';
import type { BoundedEventQueue } from './queue.js';
import type { EventKind } from './transport.js';

// Events per gzip write. Each write costs ~20 µs of the sending thread's CPU whatever its size (stream bookkeeping,
// the thread-pool round trip): ~80 ns per event at 256, ~20 at 1024. A larger batch makes no tick longer: a pump
// takes everything queued in one tick anyway.
const BATCH_SIZE = 1024;

/**
 * An event already encoded as its NDJSON line in UTF-8 (the transport worker writes them so): bytes start to end of
 * `buffer`. Consecutive lines in one buffer go to gzip as one piece, uncopied: the buffer must not change after.
 */
export class EncodedBytes {
  constructor(
    readonly buffer: Buffer,
    readonly start: number,
    readonly end: number,
  ) {}
}

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
   * Takes events from the queue for `request`: at most BATCH_SIZE, and none after the one that brings the
   * request to `byteLimit`, so a request ends within one event of apiRequestSize (a string's length
   * approximates its bytes).
   */
  take(queue: BoundedEventQueue, request: IntakeRequest, byteLimit: number): EncodedBatch {
    const chunks: Buffer[] = [];
    // Lines encoded here gather in one string; lines already in bytes, in runs of one buffer.
    let text = '';
    let run: Buffer | undefined;
    let runStart = 0;
    let runEnd = 0;
    let size = 0;
    let count = 0;
    queue.takeWhile((kind, event) => {
      count++;
      if (event instanceof EncodedBytes) {
        if (text.length > 0) {
          chunks.push(Buffer.from(text, 'utf8'));
          text = '';
        }
        if (event.buffer !== run || event.start !== runEnd) {
          if (run !== undefined) chunks.push(run.subarray(runStart, runEnd));
          run = event.buffer;
          runStart = event.start;
        }
        runEnd = event.end;
        size += event.end - event.start;
      } else {
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
      return count < BATCH_SIZE && request.bytes + size < byteLimit;
    });
    if (text.length > 0) chunks.push(Buffer.from(text, 'utf8'));
    if (run !== undefined) chunks.push(run.subarray(runStart, runEnd));
    return { chunks, count };
  }
}
