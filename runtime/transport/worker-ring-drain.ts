// Moving records out of the ring into an HTTP transport: what the worker does all day, and what the application
// thread does once with the leftovers if the worker stops. Every record becomes its NDJSON line in UTF-8, written
// into a large output buffer: a line record's bytes are copied as they are (the application thread encoded them),
// a span record is written as the line SpanEvent's encoder would make (worker-span-line.ts). The HTTP transport
// gets each line as an EncodedBytes view, and writes runs of them to gzip uncopied.
import { EncodedBytes } from './batch-encoder.js';
import type { EventKind } from './transport.js';
import { RecordType, type RingReader, type RingRecord } from './worker-ring.js';
import { NO_ROOM, SpanRecordReader, UNDECODABLE } from './worker-span-line.js';

// Lines go into buffers of this size, used from start to end: a buffer is let go when full, and lives on only while
// the HTTP transport or gzip still holds lines in it. A line longer than this gets a buffer its size. Where the
// lines are compressed as soon as they leave the HTTP queue (the worker), a buffer is written again from its start
// whenever that queue is empty: a new buffer every ~1800 spans was external memory V8 answered with full GCs.
const OUTPUT_BYTES = 512 * 1024;

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

export class RingDrain {
  private readonly spans: SpanRecordReader;
  private readonly ringBytes: Buffer;
  private output = Buffer.allocUnsafeSlow(0);
  private used = 0;

  constructor(
    private readonly reader: RingReader,
    /** The span records' string table; a reader taking over from a stopped worker starts from the writer's. */
    strings: readonly string[] = [],
    /**
     * True when no line handed out before is still held (the HTTP transport's queue is empty and it compresses
     * what leaves the queue at once): the output buffer may then be written again from its start.
     */
    private readonly linesReleased: () => boolean = () => false,
  ) {
    this.spans = new SpanRecordReader(reader, strings);
    const bytes = reader.bytes;
    this.ringBytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * Moves records into `target` while it has room. Returns the events taken; `undecodable` counts span records that
   * referred to strings or ids this reader never saw (only possible for a reader taking over from a stopped worker).
   */
  drain(target: DrainTarget, limit = Number.POSITIVE_INFINITY): { taken: number; undecodable: number } {
    let room = Math.min(limit, target.queueRoom);
    let taken = 0;
    let undecodable = 0;
    if (this.used > 0 && this.linesReleased()) this.used = 0;
    this.reader.readWhile((record: RingRecord) => {
      if (record.type === RecordType.defineString) {
        this.spans.define(record.offset, record.length);
        return true;
      }
      if (room <= 0) return false;
      room--;
      taken++;
      let end: number;
      let kind: EventKind | undefined = 'span';
      if (record.type === RecordType.span) {
        end = this.spans.writeLine(record.offset, this.output, this.used);
        if (end === NO_ROOM) {
          this.renew(0);
          end = this.spans.writeLine(record.offset, this.output, 0);
        }
      } else {
        kind = LINE_KINDS[record.type];
        end = kind === undefined ? UNDECODABLE : this.copyLine(record.offset, record.length);
      }
      if (end < 0 || kind === undefined) {
        undecodable++;
        return true;
      }
      // The line starts where the output stood before it (0 if it needed a new buffer).
      target.send(kind, new EncodedBytes(this.output, this.used, end));
      this.used = end;
      return true;
    });
    return { taken, undecodable };
  }

  /** Copies a line record's bytes; returns where they end. */
  private copyLine(offset: number, length: number): number {
    if (this.used + length > this.output.length) this.renew(length);
    this.ringBytes.copy(this.output, this.used, offset, offset + length);
    return this.used + length;
  }

  /** Starts a new output buffer with room for at least `bytes`. */
  private renew(bytes: number): void {
    this.output = Buffer.allocUnsafeSlow(Math.max(OUTPUT_BYTES, bytes));
    this.used = 0;
  }
}
