// Moving records out of the ring into an HTTP transport: what the worker does all day, and what the application
// thread does once with the leftovers if the worker stops. Lines travel as pre-encoded objects, spans as the
// SpanEvent they were, so the HTTP transport's encoder writes exactly the line the in-thread transport would.
import { ENCODE_NDJSON } from './encode.js';
import type { EventKind } from './transport.js';
import { RecordType, type RingReader, type RingRecord } from './worker-ring.js';
import type { SpanRecordReader } from './worker-span-record.js';

/** A line encoded on the application thread: the HTTP transport's encoder takes it as it is. */
class EncodedLine {
  constructor(private readonly line: string) {}
  [ENCODE_NDJSON](): string {
    return this.line;
  }
}

const LINE_KINDS: Record<number, EventKind> = {
  [RecordType.transactionLine]: 'transaction',
  [RecordType.spanLine]: 'span',
  [RecordType.errorLine]: 'error',
  [RecordType.metricsetLine]: 'metricset',
};

/** The line record type for an event kind. */
export function lineRecordType(kind: EventKind): number {
  switch (kind) {
    case 'transaction':
      return RecordType.transactionLine;
    case 'span':
      return RecordType.spanLine;
    case 'error':
      return RecordType.errorLine;
    default:
      return RecordType.metricsetLine;
  }
}

export interface DrainTarget {
  /** Events it accepts now; records stay in the ring beyond that. */
  readonly queueRoom: number;
  send(kind: EventKind, event: object): void;
}

/**
 * Moves records into `target` while it has room. Returns the events taken; `undecodable` counts span records that
 * referred to strings or ids this reader never saw (only possible for a reader taking over from a stopped worker).
 */
export function drainRing(
  reader: RingReader,
  records: SpanRecordReader,
  target: DrainTarget,
  limit = Number.POSITIVE_INFINITY,
): { taken: number; undecodable: number } {
  let room = Math.min(limit, target.queueRoom);
  let taken = 0;
  let undecodable = 0;
  reader.readWhile((record: RingRecord) => {
    if (record.type === RecordType.defineString) {
      records.define(record.offset, record.length);
      return true;
    }
    if (room <= 0) return false;
    room--;
    taken++;
    if (record.type === RecordType.span) {
      const span = records.span(record.offset);
      if (span === undefined) undecodable++;
      else target.send('span', span);
      return true;
    }
    const kind = LINE_KINDS[record.type];
    if (kind === undefined) undecodable++;
    else target.send(kind, new EncodedLine(records.line(record.offset, record.length)));
    return true;
  });
  return { taken, undecodable };
}
