// The worker's half of span records (worker-span-record.ts writes them): each record becomes the NDJSON line
// SpanEvent's encoder (span-event.ts) would write for that span, byte for byte, written as UTF-8 straight into an
// output buffer. Rebuilding the SpanEvent, its id strings and its line string, then converting the batch to UTF-8,
// was most of the worker's CPU per span. Here a line is a copy of a cached head (everything up to the duration's
// value, for the current strings, transaction and timestamp digits above the last eight), the span's own id (and a
// parent other than the transaction) copied over placeholders, the timestamp's last eight digits, the duration, and
// a cached tail (outcome and sample rate). Digits: json-digits.ts.
import {
  digitsAboveEight,
  MAX_SAFE,
  writeEight,
  writeInteger,
  writeMillis,
  writeNumber,
} from './json-digits.js';
import type { RingReader } from './worker-ring.js';
import {
  F64_DURATION,
  F64_SAMPLE_RATE,
  F64_TIMESTAMP,
  HAS_SAMPLE_RATE,
  ID,
  NONE,
  PARENT_ID,
  PARENT_IS_TRANSACTION,
  SAME_TRANSACTION,
  SHORT_ID,
  TRACE,
  TRACE_ID,
  TRANSACTION_ID,
  U32_ACTION,
  U32_FLAGS,
  U32_NAME,
  U32_OUTCOME,
  U32_SUBTYPE,
  U32_TYPE,
} from './worker-span-layout.js';

const PLACEHOLDER = '0'.repeat(SHORT_ID);
const TRACE_PLACEHOLDER = '0'.repeat(TRACE_ID);
const ID_KEY = '{"span":{"id":"';
const TRANSACTION_KEY = '","transaction_id":"';
const PARENT_KEY = '","parent_id":"';
const TRACE_KEY = '","trace_id":"';
// Where the ids go in a head (span-deflate.ts codes the bytes around them as matches).
export const ID_AT = ID_KEY.length;
export const TRANSACTION_AT = ID_AT + SHORT_ID + TRANSACTION_KEY.length;
export const PARENT_AT = TRANSACTION_AT + SHORT_ID + PARENT_KEY.length;
const TRACE_AT = PARENT_AT + SHORT_ID + TRACE_KEY.length;
const DURATION_KEY = Buffer.from(',"duration":', 'latin1');
/** Room for a number as JavaScript writes it (at most 24 characters: -1.2345678901234567e-308). */
const NUMBER_ROOM = 32;
/** Content ids remembered (heads and tails seen); past this many the table starts over (ids are never reused). */
const CONTENT_IDS = 4096;

/** Not the line: the record refers to a string or transaction this reader never saw. */
export const UNDECODABLE = -1;
/** The output has no room for the line: give a larger one and ask again. */
export const NO_ROOM = -2;

function copy(out: Uint8Array, at: number, from: Uint8Array, start: number, length: number): void {
  for (let i = 0; i < length; i++) out[at + i] = from[start + i] as number;
}

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
  private readonly transactionId = new Uint8Array(SHORT_ID);
  private readonly traceId = new Uint8Array(TRACE_ID);
  private knowsTransaction = false;
  /**
   * The head for these string indices, with the current transaction's ids in it (its id as the parent too, the
   * common case), up to the timestamp's value at `stampAt`; room after it for what follows there.
   */
  private head: Buffer | undefined;
  private stampAt = 0;
  private headStrings = [NONE, NONE, NONE, NONE];
  /**
   * Timestamps are 16-digit integers whose leading digits change once every 100 s: the head continued with the
   * digits above the last eight of `stampHigh`, room for those eight at `stampLowAt`, and the duration's key.
   */
  private line: Buffer | undefined;
  private stampHigh = -1;
  private stampLowAt = 0;
  /** The tail for this outcome and sample rate (undefined: none). */
  private tail: Buffer | undefined;
  private tailOutcome = NONE;
  private tailRate: number | undefined;
  /**
   * What span-deflate.ts needs of the line the last writeLine call wrote (line-hints.ts): the content ids of its
   * head (0: written another way, no hints) and tail, where its duration's digits start, and its tail's length * 2
   * + 1 when the parent was written over the transaction's id.
   */
  lineHeadId = 0;
  lineTailId = 0;
  lineDurationAt = 0;
  lineInfo = 0;
  /** The content ids of `line` (0: not yet known) and of `tail`: equal ids, equal bytes (the bytes are the key). */
  private headId = 0;
  private tailId = 0;
  private readonly contentIds = new Map<string, number>();
  private nextContentId = 1;

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
    const strings = this.headStrings;
    if (
      this.head === undefined ||
      u32[at4 + U32_NAME] !== strings[0] ||
      u32[at4 + U32_TYPE] !== strings[1] ||
      u32[at4 + U32_SUBTYPE] !== strings[2] ||
      u32[at4 + U32_ACTION] !== strings[3]
    ) {
      if (!this.buildHead(at4)) return UNDECODABLE;
    }
    const f64 = this.ring.f64;
    const at8 = at >> 3;
    const rate = (flags & HAS_SAMPLE_RATE) === 0 ? undefined : (f64[at8 + F64_SAMPLE_RATE] as number);
    const outcome = u32[at4 + U32_OUTCOME] as number;
    // The same rate, NaN included (-0 and 0 are written alike).
    const tailRate = this.tailRate;
    if (
      outcome !== this.tailOutcome ||
      (rate !== tailRate && !(Number.isNaN(rate) && Number.isNaN(tailRate)))
    ) {
      if (!this.buildTail(outcome, rate)) return UNDECODABLE;
    }
    const head = this.head as Buffer;
    const tail = this.tail as Buffer;
    const stampAt = this.stampAt;
    if (pos + stampAt + DURATION_KEY.length + tail.length + 2 * NUMBER_ROOM > out.length) return NO_ROOM;
    const stamp = f64[at8 + F64_TIMESTAMP] as number;
    let end: number;
    if (stamp >= 1e8 && stamp <= MAX_SAFE && Number.isInteger(stamp)) {
      const high = digitsAboveEight(stamp);
      if (high !== this.stampHigh) this.continueHead(high);
      const line = this.line as Buffer;
      out.set(line, pos);
      writeEight(out, pos + this.stampLowAt, stamp - high * 1e8);
      end = pos + line.length;
      if (this.headId === 0) this.headId = this.contentId(line.toString('latin1', 0, this.stampLowAt));
      this.lineHeadId = this.headId;
    } else {
      copy(out, pos, head, 0, stampAt);
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
    out.set(tail, end);
    this.lineTailId = this.tailId;
    this.lineInfo = 2 * tail.length + (parentWritten ? 1 : 0);
    return end + tail.length;
  }

  /** The id of these bytes (as latin1 text): the same for the same bytes while the table lasts. */
  private contentId(key: string): number {
    let id = this.contentIds.get(key);
    if (id === undefined) {
      if (this.contentIds.size >= CONTENT_IDS) this.contentIds.clear();
      id = this.nextContentId++;
      this.contentIds.set(key, id);
    }
    return id;
  }

  /** Continues the head with the timestamp's digits above its last eight, room for those, and the duration's key. */
  private continueHead(high: number): void {
    const head = this.head as Buffer;
    this.stampLowAt = writeInteger(head, this.stampAt, high);
    copy(head, this.stampLowAt + 8, DURATION_KEY, 0, DURATION_KEY.length);
    this.line = head.subarray(0, this.stampLowAt + 8 + DURATION_KEY.length);
    this.stampHigh = high;
    this.headId = 0;
  }

  private learn(index: number, text: string): void {
    this.quoted[index] = Buffer.from(JSON.stringify(text), 'utf8');
  }

  /** A record with its transaction's ids: remembered, and written into the head for the spans that follow. */
  private takeTransaction(at: number): void {
    const bytes = this.ring.bytes;
    copy(this.transactionId, 0, bytes, at + TRANSACTION_ID, SHORT_ID);
    copy(this.traceId, 0, bytes, at + TRACE, TRACE_ID);
    this.knowsTransaction = true;
    const head = this.head;
    if (head === undefined) return;
    this.headId = 0;
    copy(head, TRANSACTION_AT, this.transactionId, 0, SHORT_ID);
    copy(head, PARENT_AT, this.transactionId, 0, SHORT_ID);
    copy(head, TRACE_AT, this.traceId, 0, TRACE_ID);
  }

  /** The line up to the timestamp's value for the record's strings; false when one was never defined. */
  private buildHead(at4: number): boolean {
    const u32 = this.ring.u32;
    const name = this.quoted[u32[at4 + U32_NAME] as number];
    const type = this.quoted[u32[at4 + U32_TYPE] as number];
    const subtype = this.optional(u32[at4 + U32_SUBTYPE] as number, ',"subtype":');
    const action = this.optional(u32[at4 + U32_ACTION] as number, ',"action":');
    if (name === undefined || type === undefined || subtype === null || action === null) return false;
    const parts = [
      Buffer.from(
        `${ID_KEY}${PLACEHOLDER}${TRANSACTION_KEY}${PLACEHOLDER}${PARENT_KEY}${PLACEHOLDER}` +
          `${TRACE_KEY}${TRACE_PLACEHOLDER}","name":`,
        'latin1',
      ),
      name,
      Buffer.from(',"type":', 'latin1'),
      type,
      ...subtype,
      ...action,
      Buffer.from(',"timestamp":', 'latin1'),
    ];
    this.stampAt = parts.reduce((length, part) => length + part.length, 0);
    // Room for the timestamp's leading digits and the duration's key (continueHead).
    const head = Buffer.concat([...parts, Buffer.alloc(NUMBER_ROOM + DURATION_KEY.length)]);
    this.stampHigh = -1;
    this.headId = 0;
    copy(head, TRANSACTION_AT, this.transactionId, 0, SHORT_ID);
    copy(head, PARENT_AT, this.transactionId, 0, SHORT_ID);
    copy(head, TRACE_AT, this.traceId, 0, TRACE_ID);
    this.head = head;
    this.headStrings = [
      u32[at4 + U32_NAME] as number,
      u32[at4 + U32_TYPE] as number,
      u32[at4 + U32_SUBTYPE] as number,
      u32[at4 + U32_ACTION] as number,
    ];
    return true;
  }

  /** `,"outcome":…[,"sample_rate":…]}}\n`; false when the outcome was never defined. */
  private buildTail(outcome: number, rate: number | undefined): boolean {
    const quoted = this.quoted[outcome];
    if (quoted === undefined) return false;
    const rateText = rate === undefined ? '' : `,"sample_rate":${Number.isFinite(rate) ? rate : 'null'}`;
    this.tail = Buffer.concat([
      Buffer.from(',"outcome":', 'latin1'),
      quoted,
      Buffer.from(`${rateText}}}\n`, 'latin1'),
    ]);
    this.tailOutcome = outcome;
    this.tailRate = rate;
    this.tailId = this.contentId(this.tail.toString('latin1'));
    return true;
  }

  /** The key and value bytes of an optional string: none for NONE, null for an index never defined. */
  private optional(index: number, key: string): Buffer[] | null {
    if (index === NONE) return [];
    const quoted = this.quoted[index];
    return quoted === undefined ? null : [Buffer.from(key, 'latin1'), quoted];
  }
}
