// The application thread's half of the transport worker's ring (worker-transport.ts runs the worker): each event
// the worker transport accepts is written here, a plain span as a binary record (worker-span-record.ts), anything
// else as its NDJSON line, and counted once: written, dropped (the ring is full, or maxQueueSize events wait while
// the sender is not known to work), or unencodable. This is the whole per-event path of the application thread.
import type { PlainSpanKind, PlainSpanTransaction } from '../span-event.js';
import type { UnencodableLog } from './batch-encoder.js';
import { encodeLine } from './encode.js';
import type { EventKind } from './transport.js';
import { RingWriter, Slot } from './worker-ring.js';
import { lineRecordType } from './worker-ring-drain.js';
import { SpanRecordWriter } from './worker-span-record.js';

type Written = 'written' | 'full' | 'skipped';

export class RingInput {
  readonly ring: RingWriter;
  readonly spans: SpanRecordWriter;
  /** The ring's bytes as a Buffer, for writing lines as UTF-8. */
  private readonly text: Buffer;
  /** Events written into the ring. */
  accepted = 0;
  /** Events dropped here: the ring was full, or the bound was reached. */
  dropped = 0;
  /** Events that could not be encoded: counted as queued and failed. */
  unencodable = 0;
  /** Slot.boundBase as last read: re-read only when the bound seems reached. */
  private boundBaseSeen = 0;
  /** Waiting events past which the reader is woken from its nap (half the bound), and whether it was for these. */
  private readonly wakeAt: number;
  private wokenAtBase = -1;

  constructor(
    buffer: SharedArrayBuffer,
    /** maxQueueSize: how many events may wait while the sender is not known to work. */
    private readonly eventLimit: number,
    private readonly unencodableLog: UnencodableLog,
  ) {
    this.wakeAt = Math.max(1, eventLimit >> 1);
    this.ring = new RingWriter(buffer);
    this.spans = new SpanRecordWriter(this.ring);
    const bytes = this.ring.bytes;
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Writes one event: a span event of the runtime as a record when it is plain, else its line. */
  send(kind: EventKind, event: object): void {
    if (!this.roomForOne()) return;
    let written: Written | 'unfit' = kind === 'span' ? this.spans.write(event) : 'unfit';
    if (written === 'unfit') written = this.writeLine(kind, event);
    this.count(written);
  }

  /** A plain span as its parts (span-event.ts SendPlainSpan); false when the record cannot hold it. */
  sendPlainSpan(
    transaction: PlainSpanTransaction,
    kind: PlainSpanKind,
    id: string,
    idWords: Uint32Array | undefined,
    idAt: number,
    parentId: string,
    outcome: string,
    timestamp: number,
    duration: number,
  ): boolean {
    if (!this.roomForOne()) return true;
    const written = this.spans.writePlain(
      transaction,
      kind,
      id,
      idWords,
      idAt,
      parentId,
      outcome,
      timestamp,
      duration,
    );
    if (written === 'unfit') return false;
    this.count(written);
    return true;
  }

  /**
   * While the sender is not known to work, at most maxQueueSize events wait in the ring and the worker's queue (see
   * Slot.senderWorks): false, with the event counted dropped, when that many do. The shared counters are read only
   * when the last reading says the bound is reached.
   */
  private roomForOne(): boolean {
    if (this.accepted - this.boundBaseSeen < this.wakeAt) return true;
    const ring = this.ring;
    this.boundBaseSeen = ring.counter(Slot.senderWorks) === 1 ? this.accepted : ring.counter(Slot.boundBase);
    const waiting = this.accepted - this.boundBaseSeen;
    if (waiting >= this.wakeAt && this.wokenAtBase !== this.boundBaseSeen) {
      // Half the bound waits: have the reader take it now rather than after its nap. A busy application thread fills
      // the bound in well under a nap, and would drop the rest until the reader woke (~80% of spans in a tight loop).
      this.wokenAtBase = this.boundBaseSeen;
      ring.publishAndWake();
    }
    if (waiting < this.eventLimit) return true;
    this.dropped++;
    return false;
  }

  private count(written: Written): void {
    if (written === 'written') this.accepted++;
    else if (written === 'full') this.dropped++;
  }

  /** Encodes an event that is not a plain span; an event that cannot be encoded counts as queued and failed. */
  private writeLine(kind: EventKind, event: object): Written {
    let line: string;
    try {
      line = encodeLine(kind, event);
    } catch (error) {
      this.unencodable++;
      this.unencodableLog.report(kind, error);
      return 'skipped';
    }
    const length = Buffer.byteLength(line, 'utf8');
    const at = this.ring.begin(lineRecordType(kind), length);
    if (at < 0) return 'full';
    this.text.write(line, at, length, 'utf8');
    this.ring.commit();
    return 'written';
  }
}
