// The cached parts the transport worker writes span lines from (worker-span-line.ts): a head for each set of strings
// (name, type, subtype, action) seen lately, holding the current transaction's ids (written over when a head is
// used in another transaction: a copy, not a new head), and a tail for each outcome and sample rate. Spans of a few
// functions alternate (an outer and an inner call end in turn): with one cached head, rebuilt on every switch, such
// spans cost ~750 ns each to write (measured, two names in turn); kept by their strings, a switch is a lookup. Each
// head and tail has a content id for span-deflate.ts: the same id, the same bytes (a head that changes gets a new
// one).
import { writeInteger } from './json-digits.js';
import { NONE, SHORT_ID, TRACE_ID } from './worker-span-layout.js';

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
export const DURATION_KEY = Buffer.from(',"duration":', 'latin1');
/** Room for a number as JavaScript writes it (at most 24 characters: -1.2345678901234567e-308). */
export const NUMBER_ROOM = 32;
/** Parts kept; past this many they are made again as needed (a bound for processes with many span names). */
const HEADS = 256;
const TAILS = 64;

/** The line up to the timestamp's value for one set of strings and one transaction, and what may follow it. */
export interface SpanHead {
  readonly strings: readonly [name: number, type: number, subtype: number, action: number];
  /** The head's bytes up to `stampAt`, the timestamp's value; room after it for what continueHead writes. */
  readonly bytes: Buffer;
  readonly stampAt: number;
  /**
   * Timestamps are 16-digit integers whose leading digits change once every 100 s: the head continued with the
   * digits above the last eight of `stampHigh` (-1: not yet), room for those eight at `stampLowAt`, and the duration's
   * key.
   */
  line: Buffer | undefined;
  stampHigh: number;
  stampLowAt: number;
  /** The number of the transaction whose ids are in the head (SpanLineParts.transaction). */
  transaction: number;
  /** The content id of `line`. */
  id: number;
}

/** `,"outcome":…[,"sample_rate":…]}}\n` for an outcome and a sample rate (undefined: none). */
export interface SpanTail {
  readonly outcome: number;
  readonly rate: number | undefined;
  readonly bytes: Buffer;
  readonly id: number;
}

/** Copies `length` bytes of `from`, from `start`, into `out` at `at` (worker-span-line.ts uses it too). */
export function copy(out: Uint8Array, at: number, from: Uint8Array, start: number, length: number): void {
  for (let i = 0; i < length; i++) out[at + i] = from[start + i] as number;
}

/** True when `length` bytes of `a` from 0 equal those of `b` from `start`. */
function same(a: Uint8Array, b: Uint8Array, start: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[i] !== b[start + i]) return false;
  return true;
}

export class SpanLineParts {
  private readonly heads = new Map<string, SpanHead>();
  private readonly tails = new Map<string, SpanTail>();
  private readonly transactionId = new Uint8Array(SHORT_ID);
  private readonly traceId = new Uint8Array(TRACE_ID);
  /** The current transaction, numbered: a new number whenever the ids change. */
  transaction = 0;
  private nextId = 1;

  constructor(
    /** Each string as its JSON form in UTF-8, by index (the reader's table). */
    private readonly quoted: readonly (Buffer | undefined)[],
  ) {}

  /** The transaction of the spans that follow, its ids read from `text`. */
  takeTransaction(text: Buffer, transactionAt: number, traceAt: number): void {
    if (
      same(this.transactionId, text, transactionAt, SHORT_ID) &&
      same(this.traceId, text, traceAt, TRACE_ID)
    )
      return;
    copy(this.transactionId, 0, text, transactionAt, SHORT_ID);
    copy(this.traceId, 0, text, traceAt, TRACE_ID);
    this.transaction++;
  }

  /** The head for these strings, with the current transaction's ids; undefined when a string was never defined. */
  head(name: number, type: number, subtype: number, action: number): SpanHead | undefined {
    const key = `${name},${type},${subtype},${action}`;
    let head = this.heads.get(key);
    if (head === undefined) {
      head = this.buildHead(name, type, subtype, action);
      if (head === undefined) return undefined;
      if (this.heads.size >= HEADS) this.heads.clear();
      this.heads.set(key, head);
    }
    this.adopt(head);
    return head;
  }

  /** Writes the current transaction's ids into `head` if it holds another's. */
  adopt(head: SpanHead): void {
    if (head.transaction === this.transaction) return;
    // Its id as the parent too: the common case, a span called from the transaction's code.
    copy(head.bytes, TRANSACTION_AT, this.transactionId, 0, SHORT_ID);
    copy(head.bytes, PARENT_AT, this.transactionId, 0, SHORT_ID);
    copy(head.bytes, TRACE_AT, this.traceId, 0, TRACE_ID);
    head.transaction = this.transaction;
    head.id = this.nextId++;
  }

  /** Continues `head` with the timestamp's digits above its last eight, room for those, and the duration's key. */
  continueHead(head: SpanHead, high: number): void {
    head.stampLowAt = writeInteger(head.bytes, head.stampAt, high);
    copy(head.bytes, head.stampLowAt + 8, DURATION_KEY, 0, DURATION_KEY.length);
    head.line = head.bytes.subarray(0, head.stampLowAt + 8 + DURATION_KEY.length);
    head.stampHigh = high;
    head.id = this.nextId++;
  }

  /** The tail for an outcome and a sample rate; undefined when the outcome was never defined. */
  tail(outcome: number, rate: number | undefined): SpanTail | undefined {
    // -0 and 0 are written alike; every other rate (NaN and undefined included) has its own text.
    const key = `${outcome},${rate}`;
    let tail = this.tails.get(key);
    if (tail === undefined) {
      const quoted = this.quoted[outcome];
      if (quoted === undefined) return undefined;
      const rateText = rate === undefined ? '' : `,"sample_rate":${Number.isFinite(rate) ? rate : 'null'}`;
      const bytes = Buffer.concat([
        Buffer.from(',"outcome":', 'latin1'),
        quoted,
        Buffer.from(`${rateText}}}\n`, 'latin1'),
      ]);
      tail = { outcome, rate, bytes, id: this.nextId++ };
      if (this.tails.size >= TAILS) this.tails.clear();
      this.tails.set(key, tail);
    }
    return tail;
  }

  /** A string index was given another text: what was made with the old one is made again. */
  forget(): void {
    this.heads.clear();
    this.tails.clear();
  }

  private buildHead(name: number, type: number, subtype: number, action: number): SpanHead | undefined {
    const nameText = this.quoted[name];
    const typeText = this.quoted[type];
    const subtypeParts = this.optional(subtype, ',"subtype":');
    const actionParts = this.optional(action, ',"action":');
    if (nameText === undefined || typeText === undefined || subtypeParts === null || actionParts === null) {
      return undefined;
    }
    const parts = [
      Buffer.from(
        `${ID_KEY}${PLACEHOLDER}${TRANSACTION_KEY}${PLACEHOLDER}${PARENT_KEY}${PLACEHOLDER}` +
          `${TRACE_KEY}${TRACE_PLACEHOLDER}","name":`,
        'latin1',
      ),
      nameText,
      Buffer.from(',"type":', 'latin1'),
      typeText,
      ...subtypeParts,
      ...actionParts,
      Buffer.from(',"timestamp":', 'latin1'),
    ];
    const stampAt = parts.reduce((length, part) => length + part.length, 0);
    // Room for the timestamp's leading digits and the duration's key (continueHead).
    const bytes = Buffer.concat([...parts, Buffer.alloc(NUMBER_ROOM + DURATION_KEY.length)]);
    const strings = [name, type, subtype, action] as const;
    // No transaction's ids yet (head() writes them: the numbers start at 0).
    return { strings, bytes, stampAt, line: undefined, stampHigh: -1, stampLowAt: 0, transaction: -1, id: 0 };
  }

  /** The key and value bytes of an optional string: none for NONE, null for an index never defined. */
  private optional(index: number, key: string): Buffer[] | null {
    if (index === NONE) return [];
    const quoted = this.quoted[index];
    return quoted === undefined ? null : [Buffer.from(key, 'latin1'), quoted];
  }
}
