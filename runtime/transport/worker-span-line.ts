// The worker's half of span records (worker-span-record.ts writes them): each record becomes the NDJSON line
// SpanEvent's encoder (span-event.ts) would write for that span, byte for byte, written as UTF-8 straight into an
// output buffer. Rebuilding the SpanEvent, its id strings and its line string, then converting the batch to UTF-8,
// was most of the worker's CPU per span. Here a line is a copy of a cached head (everything up to the timestamp,
// for the current strings and transaction), the span's own and parent ids copied over placeholders, two numbers,
// and a cached tail (outcome and sample rate).
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
// Where the ids go in a head.
const ID_AT = ID_KEY.length;
const TRANSACTION_AT = ID_AT + SHORT_ID + TRANSACTION_KEY.length;
const PARENT_AT = TRANSACTION_AT + SHORT_ID + PARENT_KEY.length;
const TRACE_AT = PARENT_AT + SHORT_ID + TRACE_KEY.length;
const DURATION_KEY = Buffer.from(',"duration":', 'latin1');
/** Room for a number as JavaScript writes it (at most 24 characters: -1.2345678901234567e-308). */
const NUMBER_ROOM = 32;

/** Not the line: the record refers to a string or transaction this reader never saw. */
export const UNDECODABLE = -1;
/** The output has no room for the line: give a larger one and ask again. */
export const NO_ROOM = -2;

/** 10^width: the numbers below it have at most `width` digits. */
const DIGIT_LIMITS = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];
// Timestamps are integer microseconds; durations are milliseconds rounded to the microsecond (clock.ts). For those,
// the digits are written here: number-to-string conversion was the largest single cost per span.
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_MILLIS = 1e9;

/** The two ASCII digits of 0-99, tens first: numbers are written two digits per step. */
const DIGIT_PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  DIGIT_PAIRS[2 * i] = 48 + Math.floor(i / 10);
  DIGIT_PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** Writes `value` (an integer, 0 <= value < 1e9) in `width` digits, zero-padded. */
function writeDigits(out: Uint8Array, at: number, value: number, width: number): number {
  let rest = value;
  let i = width;
  while (i >= 2) {
    const hundredth = (rest / 100) | 0;
    const pair = 2 * (rest - hundredth * 100);
    out[at + i - 2] = DIGIT_PAIRS[pair] as number;
    out[at + i - 1] = DIGIT_PAIRS[pair + 1] as number;
    rest = hundredth;
    i -= 2;
  }
  if (i === 1) out[at] = 48 + rest - ((rest / 10) | 0) * 10;
  return at + width;
}

/** Writes `value` (an integer, 0 <= value < 1e8) in 8 digits, zero-padded: four pairs, no loop. */
function writeEight(out: Uint8Array, at: number, value: number): void {
  const high = (value / 10000) | 0;
  const low = value - high * 10000;
  const a = (high / 100) | 0;
  const b = high - a * 100;
  const c = (low / 100) | 0;
  const d = low - c * 100;
  out[at] = DIGIT_PAIRS[2 * a] as number;
  out[at + 1] = DIGIT_PAIRS[2 * a + 1] as number;
  out[at + 2] = DIGIT_PAIRS[2 * b] as number;
  out[at + 3] = DIGIT_PAIRS[2 * b + 1] as number;
  out[at + 4] = DIGIT_PAIRS[2 * c] as number;
  out[at + 5] = DIGIT_PAIRS[2 * c + 1] as number;
  out[at + 6] = DIGIT_PAIRS[2 * d] as number;
  out[at + 7] = DIGIT_PAIRS[2 * d + 1] as number;
}

/** Writes an integer 0 <= value < 1e9 in as many digits as it has. */
function writeSmall(out: Uint8Array, at: number, value: number): number {
  let width = 1;
  while (width < 9 && value >= (DIGIT_LIMITS[width] as number)) width++;
  return writeDigits(out, at, value, width);
}

/** Writes a safe integer >= 0 as JavaScript does (plain digits below 1e21). */
function writeInteger(out: Uint8Array, at: number, value: number): number {
  if (value < 1e8) return writeSmall(out, at, value);
  const high = digitsAboveEight(value);
  const end = writeInteger(out, at, high);
  writeEight(out, end, value - high * 1e8);
  return end + 8;
}

/** An integer >= 1e8 without its last eight digits. */
function digitsAboveEight(value: number): number {
  const high = Math.floor(value / 1e8);
  // value / 1e8 may round up to the next integer when value is just below a multiple of 1e8.
  return value - high * 1e8 < 0 ? high - 1 : high;
}

/**
 * Writes a duration in milliseconds as JSON.stringify does when it has at most three decimals (clock.ts rounds
 * durations to the microsecond), else through writeNumber. See writeNumber for why the digits are right.
 */
export function writeMillis(out: Uint8Array, at: number, value: number): number {
  if (!(value >= 0 && value < MAX_MILLIS)) return writeNumber(out, at, value);
  const micros = Math.round(value * 1000);
  if (micros / 1000 !== value) return writeNumber(out, at, value);
  // Both below 1e9 (int32): the whole milliseconds and the three decimals.
  const whole = value | 0;
  const fraction = (micros - whole * 1000) | 0;
  const point = writeSmall(out, at, whole);
  if (fraction === 0) return point;
  out[point] = 46; // '.'
  const tens = (fraction / 10) | 0;
  if (fraction - tens * 10 !== 0) return writeDigits(out, point + 1, fraction, 3);
  const hundreds = (fraction / 100) | 0;
  if (tens - hundreds * 10 !== 0) return writeDigits(out, point + 1, tens, 2);
  out[point + 1] = 48 + hundreds;
  return point + 2;
}

/**
 * A number as JSON.stringify writes it: its shortest round-trip form, or null when JSON has none. An integer, or a
 * number of milliseconds with at most three decimals, is written digit by digit: for m / 1000 (m an integer), the
 * shortest decimal that reads back as the same double is m's digits with the point three places in and trailing
 * zeros dropped, because doubles below 1e9 are far closer together than 0.001. Anything else goes through
 * JavaScript's own conversion.
 */
export function writeNumber(out: Uint8Array, at: number, value: number): number {
  if (value >= 0 && value <= MAX_SAFE) {
    if (Number.isInteger(value)) return writeInteger(out, at, value);
    const micros = Math.round(value * 1000);
    if (value < MAX_MILLIS && micros / 1000 === value) {
      const whole = Math.floor(value);
      let fraction = micros - whole * 1000;
      let width = 3;
      while (fraction % 10 === 0) {
        fraction /= 10;
        width--;
      }
      const point = writeInteger(out, at, whole);
      out[point] = 46; // '.'
      return writeDigits(out, point + 1, fraction, width);
    }
  }
  const text = Number.isFinite(value) ? `${value}` : 'null';
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
}

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
    } else {
      copy(out, pos, head, 0, stampAt);
      end = writeNumber(out, pos + stampAt, stamp);
      copy(out, end, DURATION_KEY, 0, DURATION_KEY.length);
      end += DURATION_KEY.length;
    }
    copyId(out, pos + ID_AT, u32, (at + ID) >> 2);
    if ((flags & PARENT_IS_TRANSACTION) === 0) copyId(out, pos + PARENT_AT, u32, (at + PARENT_ID) >> 2);
    end = writeMillis(out, end, f64[at8 + F64_DURATION] as number);
    out.set(tail, end);
    return end + tail.length;
  }

  /** Continues the head with the timestamp's digits above its last eight, room for those, and the duration's key. */
  private continueHead(high: number): void {
    const head = this.head as Buffer;
    this.stampLowAt = writeInteger(head, this.stampAt, high);
    copy(head, this.stampLowAt + 8, DURATION_KEY, 0, DURATION_KEY.length);
    this.line = head.subarray(0, this.stampLowAt + 8 + DURATION_KEY.length);
    this.stampHigh = high;
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
    return true;
  }

  /** The key and value bytes of an optional string: none for NONE, null for an index never defined. */
  private optional(index: number, key: string): Buffer[] | null {
    if (index === NONE) return [];
    const quoted = this.quoted[index];
    return quoted === undefined ? null : [Buffer.from(key, 'latin1'), quoted];
  }
}
