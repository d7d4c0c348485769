// A plain span (no context, links or stack trace: every woven call) as a fixed binary record in the worker ring
// (layout: worker-span-layout.ts), so the application thread neither builds its NDJSON line nor converts it to
// UTF-8. Numbers travel as float64 (NaN and Infinity included: the worker writes null for them, as JSON.stringify
// does here), ids as their ASCII characters, and the keyword strings as indices into a table the worker learns
// once per string through a defineString record. The transaction and trace ids are left out when they repeat the
// previous span's. The worker's half, which writes each record as its NDJSON line: worker-span-line.ts.
// Spans of this runtime come as their parts (writePlain, from Span.end through the Client and the transports): no
// event object is built, a span's strings are found by its SpanKind (one comparison while a function repeats), and
// its id is copied from the id pool's characters as four words. SpanEvents (spans ended before the worker ran, spans
// of older copies of the runtime) are taken apart into the same parts (write).
import {
  type PlainSpanKind,
  type PlainSpanTransaction,
  SPAN_EVENT_V1,
  type SpanEvent,
} from '../span-event.js';
import { RecordType, type RingWriter } from './worker-ring.js';
import {
  F64_DURATION,
  F64_SAMPLE_RATE,
  F64_TIMESTAMP,
  FULL_RECORD,
  HAS_SAMPLE_RATE,
  ID,
  NONE,
  PARENT_ID,
  PARENT_IS_TRANSACTION,
  SAME_TRANSACTION,
  SHORT_ID,
  SHORT_RECORD,
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

// Beyond this many distinct strings (names made from data, say), spans with new ones travel as lines.
const MAX_STRINGS = 16_384;
// Kinds whose string indices are remembered; past this (a SpanKind per span, as captureSpan makes) it starts over.
const MAX_KINDS = 1024;

/** String.prototype.isWellFormed (Node >= 20) is in TypeScript's es2024 lib; the project compiles against es2022. */
interface WellFormedCheck {
  isWellFormed(): boolean;
}

function writeAscii(bytes: Uint8Array, at: number, text: string, length: number): void {
  for (let i = 0; i < length; i++) bytes[at + i] = text.charCodeAt(i);
}

/** What may travel in binary form: a runtime SpanEvent (of any copy) with nothing nested (writePlain checks the rest). */
function isPlain(event: SpanEvent): boolean {
  return (
    event.context === undefined &&
    event.links === undefined &&
    event.stacktrace === undefined &&
    typeof event.id === 'string' &&
    typeof event.parent_id === 'string'
  );
}

/** Ids the record has room for (a transaction of any copy, or the parts of an event). */
function fitsRecord(transaction: PlainSpanTransaction): boolean {
  const { id, traceId } = transaction;
  return (
    typeof id === 'string' &&
    id.length === SHORT_ID &&
    typeof traceId === 'string' &&
    traceId.length === TRACE_ID
  );
}

/**
 * Whether two ids are the same string. Ids are slices of one pool: different ids of one length are compared by the
 * runtime (~12 ns), so a character is compared first; the same id (the usual parent) is one pointer comparison.
 */
function sameId(a: string, b: string): boolean {
  return a.charCodeAt(0) === b.charCodeAt(0) && a === b;
}

export class SpanRecordWriter {
  /** Strings the reader has been told, with their indices. */
  readonly strings = new Map<string, number>();
  /** The transaction of the last record written: the next record of the same one leaves its ids out. */
  private lastTransaction: PlainSpanTransaction | undefined = undefined;
  /**
   * Name, type, subtype and action indices by SpanKind. The last two kinds' are kept apart: a loop of woven calls
   * repeats one, and nested woven calls end by turns (the callee, then its caller).
   */
  private readonly kinds = new Map<PlainSpanKind, number[]>();
  private lastKind: PlainSpanKind | undefined = undefined;
  private lastIndices = [0, 0, 0, 0];
  private previousKind: PlainSpanKind | undefined = undefined;
  private previousIndices = [0, 0, 0, 0];
  private lastOutcome = '';
  private lastOutcomeIndex = 0;
  /**
   * The id last copied character by character (a parent span's, or an id read before its span ended) and its
   * characters as words: the next spans under that parent, and the parent's own record, copy four words instead of
   * sixteen characters of a sliced string (~1.3 ns each).
   */
  private copiedId = '';
  private readonly copiedWords = new Uint32Array(4);
  // write(): the parts made of the last SpanEvent's strings, kept while the next events repeat them.
  private eventKind: PlainSpanKind | undefined = undefined;
  private eventTransaction: PlainSpanTransaction | undefined = undefined;

  constructor(private readonly ring: RingWriter) {}

  /** A SpanEvent (of any runtime copy) as writePlain takes it: 'unfit' unless it is a plain one. */
  write(candidate: object): 'written' | 'full' | 'unfit' {
    const event = candidate as SpanEvent;
    if (event[SPAN_EVENT_V1] !== true || !isPlain(event)) return 'unfit';
    let kind = this.eventKind;
    if (
      kind === undefined ||
      kind.name !== event.name ||
      kind.type !== event.type ||
      kind.subtype !== event.subtype ||
      kind.action !== event.action
    ) {
      kind = { name: event.name, type: event.type, subtype: event.subtype, action: event.action };
      this.eventKind = kind;
    }
    let transaction = this.eventTransaction;
    if (
      transaction === undefined ||
      transaction.id !== event.transaction_id ||
      transaction.traceId !== event.trace_id ||
      transaction.sampleRate !== event.sample_rate
    ) {
      transaction = { id: event.transaction_id, traceId: event.trace_id, sampleRate: event.sample_rate };
      this.eventTransaction = transaction;
    }
    return this.writePlain(
      transaction,
      kind,
      event.id,
      undefined,
      -1,
      event.parent_id,
      event.outcome,
      event.timestamp,
      event.duration,
    );
  }

  /**
   * Writes a plain span as a binary record (the parts: SendPlainSpan in span-event.ts): 'written', 'full' (the ring
   * had no room: the caller drops and counts it), or 'unfit' (ids of other lengths, values that are not strings, or
   * a new string the table has no room for: send it as a line).
   */
  writePlain(
    transaction: PlainSpanTransaction,
    kind: PlainSpanKind,
    id: string,
    idWords: Uint32Array | undefined,
    idAt: number,
    parentId: string,
    outcome: string,
    timestamp: number,
    duration: number,
  ): 'written' | 'full' | 'unfit' {
    let indices = this.lastIndices;
    if (kind !== this.lastKind) {
      const found = kind === this.previousKind ? this.previousIndices : this.kindIndices(kind);
      if (typeof found === 'string') return found;
      indices = found;
      this.previousKind = this.lastKind;
      this.previousIndices = this.lastIndices;
      this.lastKind = kind;
      this.lastIndices = found;
    }
    let outcomeIndex = this.lastOutcomeIndex;
    if (outcome !== this.lastOutcome) {
      outcomeIndex = typeof outcome === 'string' ? this.index(outcome) : -1;
      if (outcomeIndex < 0) return outcomeIndex === -2 ? 'full' : 'unfit';
      this.lastOutcome = outcome;
      this.lastOutcomeIndex = outcomeIndex;
    }
    if (id.length !== SHORT_ID || parentId.length !== SHORT_ID) return 'unfit';
    const same = transaction === this.lastTransaction;
    if (!same && !fitsRecord(transaction)) return 'unfit';
    const ring = this.ring;
    const at = ring.begin(RecordType.span, same ? SHORT_RECORD : FULL_RECORD);
    if (at < 0) return 'full';
    const f64 = ring.f64;
    const u32 = ring.u32;
    const bytes = ring.bytes;
    const rate = transaction.sampleRate;
    const at8 = at >> 3;
    f64[at8 + F64_TIMESTAMP] = timestamp;
    f64[at8 + F64_DURATION] = duration;
    f64[at8 + F64_SAMPLE_RATE] = rate ?? 0;
    const at4 = at >> 2;
    u32[at4 + U32_NAME] = indices[0] as number;
    u32[at4 + U32_TYPE] = indices[1] as number;
    u32[at4 + U32_SUBTYPE] = indices[2] as number;
    u32[at4 + U32_ACTION] = indices[3] as number;
    u32[at4 + U32_OUTCOME] = outcomeIndex;
    const transactionId = transaction.id;
    // Copying id characters is the largest cost here: skip what the reader already knows.
    const parentIsTransaction = sameId(parentId, transactionId);
    u32[at4 + U32_FLAGS] =
      (rate === undefined ? 0 : HAS_SAMPLE_RATE) |
      (same ? SAME_TRANSACTION : 0) |
      (parentIsTransaction ? PARENT_IS_TRANSACTION : 0);
    if (idWords !== undefined) {
      const to = at4 + ID / 4;
      const from = idAt >> 2;
      u32[to] = idWords[from] as number;
      u32[to + 1] = idWords[from + 1] as number;
      u32[to + 2] = idWords[from + 2] as number;
      u32[to + 3] = idWords[from + 3] as number;
    } else {
      this.writeId(u32, bytes, at + ID, id);
    }
    if (!parentIsTransaction) this.writeId(u32, bytes, at + PARENT_ID, parentId);
    if (!same) {
      writeAscii(bytes, at + TRANSACTION_ID, transactionId, SHORT_ID);
      writeAscii(bytes, at + TRACE, transaction.traceId, TRACE_ID);
    }
    ring.commit();
    // Stored only when it changes: a young object stored into this old one costs a write barrier call.
    if (!same) this.lastTransaction = transaction;
    return 'written';
  }

  /** Writes a span id's characters at `at` (a multiple of 4), as words when it is the id copied last. */
  private writeId(u32: Uint32Array, bytes: Uint8Array, at: number, id: string): void {
    const words = this.copiedWords;
    const to = at >> 2;
    if (sameId(id, this.copiedId)) {
      u32[to] = words[0] as number;
      u32[to + 1] = words[1] as number;
      u32[to + 2] = words[2] as number;
      u32[to + 3] = words[3] as number;
      return;
    }
    writeAscii(bytes, at, id, SHORT_ID);
    words[0] = u32[to] as number;
    words[1] = u32[to + 1] as number;
    words[2] = u32[to + 2] as number;
    words[3] = u32[to + 3] as number;
    this.copiedId = id;
  }

  /** The indices of the kind's name, type, subtype and action, remembered for the kind. */
  private kindIndices(kind: PlainSpanKind): number[] | 'full' | 'unfit' {
    const known = this.kinds.get(kind);
    if (known !== undefined) return known;
    const { name, type, subtype, action } = kind;
    if (
      typeof name !== 'string' ||
      typeof type !== 'string' ||
      (subtype !== undefined && typeof subtype !== 'string') ||
      (action !== undefined && typeof action !== 'string')
    ) {
      return 'unfit';
    }
    const indices = [
      this.index(name),
      this.index(type),
      subtype === undefined ? NONE : this.index(subtype),
      action === undefined ? NONE : this.index(action),
    ];
    const worst = Math.min(...indices);
    if (worst < 0) return worst === -2 ? 'full' : 'unfit';
    if (this.kinds.size >= MAX_KINDS) this.kinds.clear();
    this.kinds.set(kind, indices);
    return indices;
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
