// A plain span (no context, links or stack trace: every woven call) as a fixed binary record in the worker ring
// (layout: worker-span-layout.ts), so the application thread neither builds its NDJSON line nor converts it to
// UTF-8. Numbers travel as float64 (NaN and Infinity included: the worker writes null for them, as JSON.stringify
// does here), ids as their ASCII characters, and the keyword strings as indices into a table the worker learns
// once per string through a defineString record. The transaction and trace ids are left out when they repeat the
// previous span's. The worker's half, which writes each record as its NDJSON line: worker-span-line.ts.
import { SPAN_EVENT_V1, type SpanEvent } from '../span-event.js';
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

/** String.prototype.isWellFormed (Node >= 20) is in TypeScript's es2024 lib; the project compiles against es2022. */
interface WellFormedCheck {
  isWellFormed(): boolean;
}

function writeAscii(bytes: Uint8Array, at: number, text: string, length: number): void {
  for (let i = 0; i < length; i++) bytes[at + i] = text.charCodeAt(i);
}

/** What travels in binary form: a runtime SpanEvent (of any copy) with nothing nested and ids of the usual lengths. */
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
   * Writes `candidate` as a binary record: 'written', 'full' (the ring had no room: the caller drops and counts it),
   * or 'unfit' (not a plain span, or a new string the table has no room for: send it as a line).
   */
  write(candidate: object): 'written' | 'full' | 'unfit' {
    const event = candidate as SpanEvent;
    if (event[SPAN_EVENT_V1] !== true || !isPlain(event)) return 'unfit';
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
