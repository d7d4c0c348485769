// Moving records out of the ring into an HTTP transport: what the worker does all day, and what the application
// thread does once with the leftovers if the worker stops. Every record becomes its NDJSON line in UTF-8, written
// into a large output buffer: a line record's bytes are copied as they are (the application thread encoded them),
// a span record is written as the line SpanEvent's encoder would make (worker-span-line.ts). The HTTP transport
// gets the lines of a drain as one EncodedLines run (fewer when the output buffer fills), and writes them to gzip
// uncopied. Beside each output buffer, what span-deflate.ts needs to compress its span lines without a search
// (line-hints.ts).
import { EncodedLines } from './encoded-lines.js';
import { attachHints, ERROR_LINE, LineHints } from './line-hints.js';
import { useSpanDeflate } from './span-deflate.js';
import type { EventKind } from './transport.js';
import { RecordType, type RingReader, type RingRecord } from './worker-ring.js';
import { NO_ROOM, SpanRecordReader, UNDECODABLE } from './worker-span-line.js';

// Lines go into buffers of this size, used from start to end: a buffer is let go when full, and lives on only while
// the HTTP transport or gzip still holds lines in it. A line longer than this gets a buffer its size. Where the
// lines are compressed soon after they leave the HTTP queue (the worker), a buffer is written again from its start
// whenever that queue is empty and the request holds none: a new buffer every ~1800 spans was external memory V8
// answered with full GCs. Room for what a request holds (gzip-members.ts HOLD_BYTES) and a queueful after it, so
// held lines and the next ones lie side by side and go into one gzip member.
const OUTPUT_BYTES = 2048 * 1024;
// Line ends per output buffer at first (span lines are ~250-300 bytes); the array grows for shorter lines.
const OUTPUT_LINES = 4096;

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
  /**
   * Takes a run of lines (an EncodedLines) as its events. The kind is 'error' when the run holds an error line (the
   * HTTP transport sends those promptly), otherwise its first line's kind.
   */
  send(kind: EventKind, lines: object): void;
}

export class RingDrain {
  private readonly spans: SpanRecordReader;
  private readonly ringBytes: Buffer;
  private output = Buffer.allocUnsafeSlow(0);
  private used = 0;
  /** Where each line written into `output` ends; `lines` of them so far. */
  private ends = new Uint32Array(OUTPUT_LINES);
  private lines = 0;
  private hints = new LineHints(this.ends);
  /** The run being written: its first line, and the kind it is sent as (undefined while it has no line). */
  private runFirst = 0;
  private runStart = 0;
  private runKind: EventKind | undefined;

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
    useSpanDeflate();
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
    if (this.used > 0 && this.linesReleased()) {
      this.used = 0;
      this.lines = 0;
      this.hints.count = 0;
    }
    this.runFirst = this.lines;
    this.runStart = this.used;
    this.runKind = undefined;
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
          this.renew(target, 0);
          end = this.spans.writeLine(record.offset, this.output, 0);
        }
      } else {
        kind = LINE_KINDS[record.type];
        end = kind === undefined ? UNDECODABLE : this.copyLine(target, record.offset, record.length);
      }
      if (end < 0 || kind === undefined) {
        undecodable++;
        return true;
      }
      if (this.lines === this.ends.length) this.growEnds();
      this.recordHints(record.type === RecordType.span, kind);
      this.ends[this.lines++] = end;
      this.hints.count = this.lines;
      this.used = end;
      if (this.runKind === undefined || kind === 'error') this.runKind = kind;
      return true;
    });
    this.sendRun(target);
    return { taken, undecodable };
  }

  /** Hands the lines written since the run began to `target` as one run, and begins the next. */
  private sendRun(target: DrainTarget): void {
    const count = this.lines - this.runFirst;
    if (count > 0) {
      const run = new EncodedLines(this.output, this.ends, this.runStart, this.runFirst, count);
      target.send(this.runKind as EventKind, run);
    }
    this.runFirst = this.lines;
    this.runStart = this.used;
    this.runKind = undefined;
  }

  /** What the line about to be recorded is, for span-deflate.ts. */
  private recordHints(spanRecord: boolean, kind: EventKind): void {
    const hints = this.hints;
    const line = this.lines;
    if (spanRecord) {
      const spans = this.spans;
      hints.headIds[line] = spans.lineHeadId;
      hints.tailIds[line] = spans.lineTailId;
      hints.durationAt[line] = spans.lineDurationAt;
      hints.info[line] = spans.lineInfo;
    } else {
      hints.headIds[line] = 0;
      hints.info[line] = kind === 'error' ? ERROR_LINE : 0;
    }
  }

  /** Copies a line record's bytes; returns where they end. */
  private copyLine(target: DrainTarget, offset: number, length: number): number {
    if (this.used + length > this.output.length) this.renew(target, length);
    this.ringBytes.copy(this.output, this.used, offset, offset + length);
    return this.used + length;
  }

  /** Sends the run so far, and starts a new output buffer with room for at least `bytes`. */
  private renew(target: DrainTarget, bytes: number): void {
    this.sendRun(target);
    this.output = Buffer.allocUnsafeSlow(Math.max(OUTPUT_BYTES, bytes));
    // Runs sent before keep the old arrays; nothing writes into them again.
    this.ends = new Uint32Array(OUTPUT_LINES);
    this.hints = new LineHints(this.ends);
    attachHints(this.output, this.hints);
    this.used = 0;
    this.lines = 0;
    this.runFirst = 0;
    this.runStart = 0;
  }

  /** More room for line ends: the lines so far copied over; runs sent before keep the old array. */
  private growEnds(): void {
    const ends = new Uint32Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
    this.hints.grow(ends);
  }
}
