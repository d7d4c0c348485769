// Turns queued events into one NDJSON string per gzip write. An event that cannot be encoded (a cycle, a
// BigInt) is counted as skipped on its request and dropped: the first such event is a warning, later ones
// debug lines, so a steady stream of bad events cannot flood the log.
import type { Logger } from '../config-types.js';
import { encodeLine } from './encode.js';
import type { IntakeRequest } from './intake-request.js';
import type { BoundedEventQueue } from './queue.js';
import type { EventKind } from './transport.js';

// Events encoded per write: large enough to amortise the gzip write, small enough to keep a tick short.
const BATCH_SIZE = 256;

export interface EncodedBatch {
  /** The NDJSON lines of the encodable events. */
  text: string;
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
   * request to `byteLimit`, so a request ends within one event of apiRequestSize (string length
   * approximates bytes).
   */
  take(queue: BoundedEventQueue, request: IntakeRequest, byteLimit: number): EncodedBatch {
    let text = '';
    let count = 0;
    queue.takeWhile((kind, event) => {
      count++;
      try {
        text += encodeLine(kind, event);
      } catch (error) {
        request.skipped++;
        this.unencodable.report(kind, error);
      }
      return count < BATCH_SIZE && request.bytes + text.length < byteLimit;
    });
    return { text, count };
  }
}
