// A plain span (no context, links or stack trace: every woven call) as a fixed binary record in the worker ring,
// so the application thread neither builds its NDJSON line nor converts it to UTF-8. Numbers travel as float64
// (NaN and Infinity included, so the worker's SpanEvent falls back to JSON.stringify exactly as it would here),
// ids as their ASCII characters, and the keyword strings as indices into a table the worker learns once per string
// through a defineString record. The transaction and trace ids are left out when they repeat the previous span's.
import { SpanEvent } from '../span-event.js';
import type { Outcome } from '../transaction.js';
import { RecordType, type RingReader, type RingWriter } from './worker-ring.js';

const NONE = 0xffffffff;
// Beyond this many distinct strings (names made from data, say), spans with new ones travel as lines.
const MAX_STRINGS = 16_384;
const HAS_SAMPLE_RATE = 1;
const SAME_TRANSACTION = 2;
// The parent is the transaction (a span called straight from the transaction's code): its id is not repeated.
const PARENT_IS_TRANSACTION = 4;
const SHORT_ID = 16;
const TRACE_ID = 32;
// Payload layout: three float64 (timestamp, duration, sample rate), six uint32 (string indices, flags), then the
// ids' ASCII bytes.
const F64_TIMESTAMP = 0;
const F64_DURATION = 1;
const F64_SAMPLE_RATE = 2;
const U32_NAME = 6;
const U32_TYPE = 7;
const U32_SUBTYPE = 8;
const U32_ACTION = 9;
const U32_OUTCOME = 10;
const U32_FLAGS = 11;
const ID = 48;
const PARENT_ID = 64;
const TRANSACTION_ID = 80;
const TRACE = 96;
const SHORT_RECORD = 80;
const FULL_RECORD = 128;

/** String.prototype.isWellFormed (Node >= 20) is in TypeScript's es2024 lib; the project compiles against es2022. */
interface WellFormedCheck {
  isWellFormed(): boolean;
}

function writeAscii(bytes: Uint8Array, at: number, text: string, length: number): void {
  for (let i = 0; i < length; i++) bytes[at + i] = text.charCodeAt(i);
}

/** What travels in binary form: a runtime SpanEvent with nothing nested and ids of the usual lengths. */
function isPlain(event: SpanEvent): boolean {
  return (
    event.context === undefined &&
    event.links === undefined &&
    event.stacktrace === undefined &&
    event.id.length === SHORT_ID &&
    event.parent_id.length === SHORT_ID &&
    event.transaction_id.length === SHORT_ID &&
    event.trace_id.length === TRACE_ID &&
    typeof event.name === 'string' &&
    typeof event.type === 'string' &&
    typeof event.outcome === 'string' &&
    (event.subtype === undefined || typeof event.subtype === 'string') &&
    (event.action === undefined || typeof event.action === 'string')
  );
}

export class SpanRecordWriter {
  /** Strings the reader has been told, with their indices. */
  readonly strings = new Map<string, number>();
  private lastTransactionId = '';
  private lastTraceId = '';
  // The previous span's strings and their indices: woven calls repeat them, and comparing a string with itself
  // is cheaper than a Map lookup.
  private lastName = '';
  private lastNameIndex = -1;
  private lastType = '';
  private lastSubtype: string | undefined = '';
  private lastAction: string | undefined = '';
  private lastOutcome = '';
  private lastTypeIndices = [0, 0, 0, 0];

  constructor(private readonly ring: RingWriter) {}

  /**
   * Writes `event` as a binary record: 'written', 'full' (the ring had no room: the caller drops and counts it),
   * or 'unfit' (not a plain span, or a new string the table has no room for: send it as a line).
   */
  write(event: object): 'written' | 'full' | 'unfit' {
    if (!(event instanceof SpanEvent) || !isPlain(event)) return 'unfit';
    let name = this.lastNameIndex;
    if (event.name !== this.lastName || name < 0) {
      name = this.index(event.name);
      if (name < 0) return name === -2 ? 'full' : 'unfit';
      this.lastName = event.name;
      this.lastNameIndex = name;
    }
    const indices = this.lastTypeIndices;
    if (
      event.type !== this.lastType ||
      event.subtype !== this.lastSubtype ||
      event.action !== this.lastAction ||
      event.outcome !== this.lastOutcome
    ) {
      const found = this.typeIndices(event, indices);
      if (found !== 'found') return found;
    }
    const same = event.transaction_id === this.lastTransactionId && event.trace_id === this.lastTraceId;
    const ring = this.ring;
    const at = ring.begin(RecordType.span, same ? SHORT_RECORD : FULL_RECORD);
    if (at < 0) return 'full';
    const f64 = ring.f64;
    const u32 = ring.u32;
    const bytes = ring.bytes;
    const rate = event.sample_rate;
    const at8 = at >> 3;
    f64[at8 + F64_TIMESTAMP] = event.timestamp;
    f64[at8 + F64_DURATION] = event.duration;
    f64[at8 + F64_SAMPLE_RATE] = rate ?? 0;
    const at4 = at >> 2;
    u32[at4 + U32_NAME] = name;
    u32[at4 + U32_TYPE] = indices[0] as number;
    u32[at4 + U32_SUBTYPE] = indices[1] as number;
    u32[at4 + U32_ACTION] = indices[2] as number;
    u32[at4 + U32_OUTCOME] = indices[3] as number;
    // Copying id characters is the largest cost here (~1.4 ns each): skip what the reader already knows.
    const parentIsTransaction = event.parent_id === event.transaction_id;
    u32[at4 + U32_FLAGS] =
      (rate === undefined ? 0 : HAS_SAMPLE_RATE) |
      (same ? SAME_TRANSACTION : 0) |
      (parentIsTransaction ? PARENT_IS_TRANSACTION : 0);
    writeAscii(bytes, at + ID, event.id, SHORT_ID);
    if (!parentIsTransaction) writeAscii(bytes, at + PARENT_ID, event.parent_id, SHORT_ID);
    if (!same) {
      writeAscii(bytes, at + TRANSACTION_ID, event.transaction_id, SHORT_ID);
      writeAscii(bytes, at + TRACE, event.trace_id, TRACE_ID);
    }
    ring.commit();
    if (!same) {
      this.lastTransactionId = event.transaction_id;
      this.lastTraceId = event.trace_id;
    }
    return 'written';
  }

  /** Fills `into` with the indices of type, subtype, action and outcome, and remembers them for the next span. */
  private typeIndices(event: SpanEvent, into: number[]): 'found' | 'full' | 'unfit' {
    const type = this.index(event.type);
    const subtype = event.subtype === undefined ? NONE : this.index(event.subtype);
    const action = event.action === undefined ? NONE : this.index(event.action);
    const outcome = this.index(event.outcome);
    const worst = Math.min(type, subtype, action, outcome);
    if (worst < 0) {
      this.lastType = ''; // the cached indices are no longer those of lastType
      return worst === -2 ? 'full' : 'unfit';
    }
    into[0] = type;
    into[1] = subtype;
    into[2] = action;
    into[3] = outcome;
    this.lastType = event.type;
    this.lastSubtype = event.subtype;
    this.lastAction = event.action;
    this.lastOutcome = event.outcome;
    return 'found';
  }

  /** The string's index, defining it first if new; -1 when the table is full, -2 when the ring is. */
  private index(text: string): number {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    // A lone surrogate would not survive UTF-8: such a span travels as its line (JSON.stringify escapes it).
    if (this.strings.size >= MAX_STRINGS || !(text as unknown as WellFormedCheck).isWellFormed()) return -1;
    const index = this.strings.size;
    const utf8 = Buffer.from(text, 'utf8');
    const at = this.ring.begin(RecordType.defineString, 4 + utf8.length);
    if (at < 0) return -2;
    this.ring.u32[at >> 2] = index;
    this.ring.bytes.set(utf8, at + 4);
    this.ring.commit();
    this.strings.set(text, index);
    return index;
  }
}

/** The worker's side: learns strings and rebuilds each span as the SpanEvent that was reported. */
export class SpanRecordReader {
  private readonly text: Buffer;
  private lastTransactionId = '';
  private lastTraceId = '';

  constructor(
    private readonly ring: RingReader,
    /** The string table; a reader taking over from a stopped worker starts from the writer's. */
    private readonly strings: string[] = [],
  ) {
    this.text = Buffer.from(ring.bytes.buffer, ring.bytes.byteOffset, ring.bytes.byteLength);
  }

  define(at: number, length: number): void {
    const index = this.ring.u32[at >> 2] as number;
    this.strings[index] = this.text.toString('utf8', at + 4, at + length);
  }

  /** The line carried by a line record. */
  line(at: number, length: number): string {
    return this.text.toString('utf8', at, at + length);
  }

  /** The span of a span record; undefined when it refers to what this reader never saw. */
  span(at: number): SpanEvent | undefined {
    const u32 = this.ring.u32;
    const f64 = this.ring.f64;
    const at4 = at >> 2;
    const at8 = at >> 3;
    const flags = u32[at4 + U32_FLAGS] as number;
    if ((flags & SAME_TRANSACTION) === 0) {
      this.lastTransactionId = this.ascii(at + TRANSACTION_ID, SHORT_ID);
      this.lastTraceId = this.ascii(at + TRACE, TRACE_ID);
    } else if (this.lastTraceId === '') {
      return undefined;
    }
    const name = this.strings[u32[at4 + U32_NAME] as number];
    const type = this.strings[u32[at4 + U32_TYPE] as number];
    const outcome = this.strings[u32[at4 + U32_OUTCOME] as number] as Outcome | undefined;
    const subtype = this.optionalString(u32[at4 + U32_SUBTYPE] as number);
    const action = this.optionalString(u32[at4 + U32_ACTION] as number);
    if (
      name === undefined ||
      type === undefined ||
      outcome === undefined ||
      subtype === null ||
      action === null
    )
      return undefined;
    return new SpanEvent(
      this.ascii(at + ID, SHORT_ID),
      this.lastTransactionId,
      (flags & PARENT_IS_TRANSACTION) === 0 ? this.ascii(at + PARENT_ID, SHORT_ID) : this.lastTransactionId,
      this.lastTraceId,
      name,
      type,
      subtype,
      action,
      f64[at8 + F64_TIMESTAMP] as number,
      f64[at8 + F64_DURATION] as number,
      outcome,
      (flags & HAS_SAMPLE_RATE) === 0 ? undefined : (f64[at8 + F64_SAMPLE_RATE] as number),
      undefined,
      undefined,
      undefined,
    );
  }

  /** undefined for NONE, null for an index never defined. */
  private optionalString(index: number): string | undefined | null {
    return index === NONE ? undefined : (this.strings[index] ?? null);
  }

  private ascii(at: number, length: number): string {
    return this.text.toString('latin1', at, at + length);
  }
}
