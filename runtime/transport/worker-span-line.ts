// The worker's half of span records (worker-span-record.ts writes them): each record becomes the NDJSON line
// SpanEvent's encoder (span-event.ts) would write for that span, byte for byte, written as UTF-8 straight into an
// output buffer. Rebuilding the SpanEvent, its id strings and its line string, then converting the batch to UTF-8,
// was most of the worker's CPU per span. Here a line is a copy of a cached head (everything up to the duration's
// value, for the current strings, transaction and timestamp digits above the last eight), the span's own id (and a
// parent other than the transaction) copied over placeholders, the timestamp's last eight digits, the duration, and
// a cached tail (outcome and sample rate). Heads and tails: worker-span-parts.ts. Digits: json-digits.ts.
import { digitsAboveEight, MAX_SAFE, writeEight, writeMillis, writeNumber } from './json-digits.js';
import type { RingReader } from './worker-ring.js';
import {
  F64_DURATION,
  F64_SAMPLE_RATE,
  F64_TIMESTAMP,
  HAS_SAMPLE_RATE,
  ID,
  PARENT_ID,
  PARENT_IS_TRANSACTION,
  SAME_TRANSACTION,
  SHORT_ID,
  TRACE,
  TRANSACTION_ID,
  U32_ACTION,
  U32_FLAGS,
  U32_NAME,
  U32_OUTCOME,
  U32_SUBTYPE,
  U32_TYPE,
} from './worker-span-layout.js';
import {
  copy,
  DURATION_KEY,
  ID_AT,
  NUMBER_ROOM,
  PARENT_AT,
  type SpanHead,
  SpanLineParts,
  type SpanTail,
} from './worker-span-parts.js';

/** Not the line: the record refers to a string or transaction this reader never saw. */
export const UNDECODABLE = -1;
/** The output has no room for the line: give a larger one and ask again. */
export const NO_ROOM = -2;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Copies a 16-byte id from the ring, read as four aligned 32-bit words (a quarter of the loads of a byte copy). */
function copyId(out: Uint8Array, at: number, u32: Uint32Array, word: number): void {
  if (!LITTLE_ENDIAN) {
    copy(out, at, new Uint8Array(u32.buffer, u32.byteOffset), 4 * word, SHORT_ID);
    return;
  }
  for (let i = 0; i < 4; i++) {
    const value = u32[word + i] as number;
    const to = at + 4 * i;
    out[to] = value & 255;
    out[to + 1] = (value >>> 8) & 255;
    out[to + 2] = (value >>> 16) & 255;
    out[to + 3] = value >>> 24;
  }
}

export class SpanRecordReader {
  /** Each string as its JSON form in UTF-8 (quoted and escaped, as SpanEvent's encoder writes it). */
  private readonly quoted: (Buffer | undefined)[] = [];
  private readonly text: Buffer;
  private readonly parts = new SpanLineParts(this.quoted);
  private knowsTransaction = false;
  /** The head and tail of the last line: the next span's, most often. */
  private head: SpanHead | undefined;
  private tail: SpanTail | undefined;
  /**
   * What span-deflate.ts needs of the line the last writeLine call wrote (line-hints.ts): the content ids of its
   * head (0: written another way, no hints) and tail, where its duration's digits start, and its tail's length * 2
   * + 1 when the parent was written over the transaction's id.
   */
  lineHeadId = 0;
  lineTailId = 0;
  lineDurationAt = 0;
  lineInfo = 0;

  constructor(
    private readonly ring: RingReader,
    /** The string table; a reader taking over from a stopped worker starts from the writer's. */
    strings: readonly string[] = [],
  ) {
    this.text = Buffer.from(ring.bytes.buffer, ring.bytes.byteOffset, ring.bytes.byteLength);
    for (let index = 0; index < strings.length; index++) {
      const text = strings[index];
      if (text !== undefined) this.learn(index, text);
    }
  }

  /** A defineString record: [index u32][UTF-8 bytes]. */
  define(at: number, length: number): void {
    this.learn(this.ring.u32[at >> 2] as number, this.text.toString('utf8', at + 4, at + length));
  }

  /**
   * Writes the line of the span record at `at` into `out` from `pos`; returns where the line ends, UNDECODABLE, or
   * NO_ROOM (nothing written).
   */
  writeLine(at: number, out: Uint8Array, pos: number): number {
    const u32 = this.ring.u32;
    const at4 = at >> 2;
    const flags = u32[at4 + U32_FLAGS] as number;
    if ((flags & SAME_TRANSACTION) === 0) this.takeTransaction(at);
    else if (!this.knowsTransaction) return UNDECODABLE;
    let head = this.head;
    if (
      head === undefined ||
      u32[at4 + U32_NAME] !== head.strings[0] ||
      u32[at4 + U32_TYPE] !== head.strings[1] ||
      u32[at4 + U32_SUBTYPE] !== head.strings[2] ||
      u32[at4 + U32_ACTION] !== head.strings[3]
    ) {
      head = this.parts.head(
        u32[at4 + U32_NAME] as number,
        u32[at4 + U32_TYPE] as number,
        u32[at4 + U32_SUBTYPE] as number,
        u32[at4 + U32_ACTION] as number,
      );
      if (head === undefined) return UNDECODABLE;
      this.head = head;
    }
    const f64 = this.ring.f64;
    const at8 = at >> 3;
    const rate = (flags & HAS_SAMPLE_RATE) === 0 ? undefined : (f64[at8 + F64_SAMPLE_RATE] as number);
    const outcome = u32[at4 + U32_OUTCOME] as number;
    let tail = this.tail;
    // The same rate, NaN included (-0 and 0 are written alike).
    if (
      tail === undefined ||
      outcome !== tail.outcome ||
      (rate !== tail.rate && !(Number.isNaN(rate) && Number.isNaN(tail.rate)))
    ) {
      tail = this.parts.tail(outcome, rate);
      if (tail === undefined) return UNDECODABLE;
      this.tail = tail;
    }
    const tailBytes = tail.bytes;
    const stampAt = head.stampAt;
    if (pos + stampAt + DURATION_KEY.length + tailBytes.length + 2 * NUMBER_ROOM > out.length) return NO_ROOM;
    const stamp = f64[at8 + F64_TIMESTAMP] as number;
    let end: number;
    if (stamp >= 1e8 && stamp <= MAX_SAFE && Number.isInteger(stamp)) {
      const high = digitsAboveEight(stamp);
      if (high !== head.stampHigh) this.parts.continueHead(head, high);
      const line = head.line as Buffer;
      out.set(line, pos);
      writeEight(out, pos + head.stampLowAt, stamp - high * 1e8);
      end = pos + line.length;
      this.lineHeadId = head.id;
    } else {
      copy(out, pos, head.bytes, 0, stampAt);
      end = writeNumber(out, pos + stampAt, stamp);
      copy(out, end, DURATION_KEY, 0, DURATION_KEY.length);
      end += DURATION_KEY.length;
      this.lineHeadId = 0;
    }
    this.lineDurationAt = end - pos;
    copyId(out, pos + ID_AT, u32, (at + ID) >> 2);
    const parentWritten = (flags & PARENT_IS_TRANSACTION) === 0;
    if (parentWritten) copyId(out, pos + PARENT_AT, u32, (at + PARENT_ID) >> 2);
    end = writeMillis(out, end, f64[at8 + F64_DURATION] as number);
    out.set(tailBytes, end);
    this.lineTailId = tail.id;
    this.lineInfo = 2 * tailBytes.length + (parentWritten ? 1 : 0);
    return end + tailBytes.length;
  }

  private learn(index: number, text: string): void {
    if (this.quoted[index] !== undefined) {
      // Another text for an index (not expected): heads and tails made with the old one are made again.
      this.parts.forget();
      this.head = undefined;
      this.tail = undefined;
    }
    this.quoted[index] = Buffer.from(JSON.stringify(text), 'utf8');
  }

  /** A record with its transaction's ids: the heads of the spans that follow carry them. */
  private takeTransaction(at: number): void {
    this.parts.takeTransaction(this.text, at + TRANSACTION_ID, at + TRACE);
    this.knowsTransaction = true;
    if (this.head !== undefined) this.parts.adopt(this.head);
  }
}
