// The hand-off between the application thread and the transport worker: a byte ring in a SharedArrayBuffer with
// one writer (the application thread) and one reader (the worker). Records are [type u32][length u32][payload],
// padded to 8 bytes so float64 fields stay aligned. The indices are byte counters that wrap at 2^32
// (capacity is a power of two, so `counter & mask` is the offset and `(write - read) >>> 0` the bytes in use).
// Writes publish with Atomics.store after the bytes are in place; the reader publishes what it consumed the same
// way, so neither side ever sees half a record. Nothing blocks: a full ring refuses the record.
// The writer publishes what it completed within PUBLISH_DELAY_MS (one timer for all records meanwhile), at once when
// much is waiting, and on publish() (a flush). A microtask at the end of each task did it before: queueMicrotask and
// the publish were ~12 ns per span of the application thread in the probe (16 spans a task), more where a task ends
// after a few spans (a request each), while the reader, napping between takes, gained nothing from the haste.

/**
 * Control slots (Int32) before the data bytes, in three groups 128 bytes apart (two cache lines, since CPUs fetch
 * lines in pairs): what the writer changes on every record, what the reader changes as it goes, and what changes
 * rarely but the writer reads on every record. Sharing a line made each side's stores evict the other's copy: a
 * cache miss per span on the application thread.
 */
export const Slot = {
  /** Bytes written so far (wrapping counter); advanced by the writer. */
  write: 0,
  /** Bytes consumed so far (wrapping counter); advanced by the reader. */
  read: 32,
  /** Event records consumed by the reader (a worker taking over starts from here). */
  eventsRead: 33,
  /** The worker's delivery counters, published after each change. */
  sent: 34,
  failed: 35,
  dropped: 36,
  /**
   * Events written minus this may not exceed maxQueueSize while the sender is not known to work (no request
   * succeeded yet, or the last one failed): the events that left the worker's queue, so what waits in the ring and
   * in that queue is bounded as the in-thread transport bounds its queue.
   */
  boundBase: 37,
  /** A ReaderState: whether the reader waits in Atomics.waitAsync, and what wakes it. */
  readerAsleep: 64,
  /**
   * 1 while the worker's sender works (a request succeeded and none failed since): then only the ring's bytes bound
   * what waits, so bursts ride out the moments the worker thread waits for a CPU (milliseconds on a busy machine).
   */
  senderWorks: 65,
} as const;
const CONTROL_BYTES = 384;

/** What the reader is doing (Slot.readerAsleep). */
export const ReaderState = {
  awake: 0,
  /** Idle: the writer's next record wakes it. */
  asleep: 1,
  /**
   * Waiting a few milliseconds for records to gather: the writer wakes it early only once the records waiting
   * reach a fraction of the ring (RingWriter.wakeBytes), so that the reader takes many per wake.
   */
  napping: 2,
} as const;

export const RecordType = {
  /** The rest of the ring up to its end is unused; the next record starts at offset 0. */
  wrap: 1,
  /** A string the span records refer to by index from now on: [index u32][UTF-8 bytes]. */
  defineString: 2,
  /** A plain span in binary form (worker-span-record.ts). */
  span: 3,
  /** A ready NDJSON line of the given kind. */
  transactionLine: 4,
  spanLine: 5,
  errorLine: 6,
  metricsetLine: 7,
} as const;

const HEADER_BYTES = 8;
/** The longest completed records wait to be published, unless much is waiting (RingWriter.publishBytes). */
const PUBLISH_DELAY_MS = 1;

function padded(bytes: number): number {
  return (bytes + 7) & ~7;
}

/** The shared memory of one ring; both sides wrap the same buffer. */
export function createRingBuffer(minCapacity: number): SharedArrayBuffer {
  let capacity = 4096;
  while (capacity < minCapacity && capacity < 1 << 30) capacity *= 2;
  return new SharedArrayBuffer(CONTROL_BYTES + capacity);
}

class RingView {
  readonly control: Int32Array;
  readonly bytes: Uint8Array;
  /** The data as float64 and uint32 (little-endian on every platform Node runs on in practice; both sides agree
   * anyway, being the same process): typed arrays are much faster than a DataView over shared memory. */
  readonly f64: Float64Array;
  readonly u32: Uint32Array;
  readonly capacity: number;
  protected readonly mask: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.control = new Int32Array(buffer, 0, CONTROL_BYTES / 4);
    this.capacity = buffer.byteLength - CONTROL_BYTES;
    this.mask = this.capacity - 1;
    this.bytes = new Uint8Array(buffer, CONTROL_BYTES, this.capacity);
    this.f64 = new Float64Array(buffer, CONTROL_BYTES, this.capacity / 8);
    this.u32 = new Uint32Array(buffer, CONTROL_BYTES, this.capacity / 4);
  }

  counter(slot: number): number {
    return Atomics.load(this.control, slot);
  }
}

export class RingWriter extends RingView {
  /** The write counter as only this side changes it: no atomic read needed. */
  private written = 0;
  private pendingWrite = 0;
  /** The write counter as last published (Slot.write). */
  private published = 0;
  /** A timer will publish what is completed by then. */
  private publishScheduled = false;
  /** Free bytes as last seen; the reader's counter is read again only when this is not enough. */
  private free = 0;
  /** Bytes waiting in the ring that wake a napping reader: room for the rest of a burst while it wakes. */
  private readonly wakeBytes = this.capacity / 8;
  /**
   * Completed bytes published at once, without waiting for the timer: a long run of application code (no timer runs
   * meanwhile) is seen by the reader as it goes, and wakes it past wakeBytes.
   */
  private readonly publishBytes = this.capacity / 32;

  /**
   * Reserves room for a record with `payloadBytes` of payload and writes its header; returns the payload's offset
   * in `bytes`/`view`, or -1 when the ring is full. The record becomes visible on commit().
   */
  begin(type: number, payloadBytes: number): number {
    const size = HEADER_BYTES + padded(payloadBytes);
    let offset = this.written & this.mask;
    const tail = this.capacity - offset;
    // A record never straddles the end: the tail is skipped with a wrap record (the tail is >= 8 bytes).
    const needed = tail < size ? tail + size : size;
    if (needed > this.free) {
      this.free = this.capacity - ((this.written - Atomics.load(this.control, Slot.read)) >>> 0);
      if (needed > this.free) return -1;
    }
    this.free -= needed;
    let start = this.written;
    if (tail < size) {
      this.u32[offset >> 2] = RecordType.wrap;
      start = (start + tail) | 0;
      offset = 0;
    }
    this.u32[offset >> 2] = type;
    this.u32[(offset >> 2) + 1] = payloadBytes;
    this.pendingWrite = (start + size) | 0;
    return offset + HEADER_BYTES;
  }

  /**
   * Completes the record begun last. It becomes visible to the reader within PUBLISH_DELAY_MS, together with the
   * others written meanwhile, as soon as publishBytes are waiting, or on publish(): one shared store (and one look at
   * whether the reader sleeps) per millisecond or publishBytes instead of per span, which keeps the counter's cache
   * line from bouncing between the two cores on every record.
   */
  commit(): void {
    this.written = this.pendingWrite;
    if ((this.written - this.published) >>> 0 >= this.publishBytes) this.publish();
    else if (!this.publishScheduled) {
      this.publishScheduled = true;
      // Unref'd: it never keeps the process alive (the beforeExit flush publishes what is left).
      setTimeout(this.publishNow, PUBLISH_DELAY_MS).unref();
    }
  }

  /** Makes every completed record visible now, and wakes the reader if it sleeps (or naps past wakeBytes). */
  publish(): void {
    if (this.published === this.written) return;
    this.published = this.written;
    Atomics.store(this.control, Slot.write, this.written);
    // The reader sets its state before re-checking the counter, so it either sees this record or is woken here.
    const state = Atomics.load(this.control, Slot.readerAsleep);
    if (state === ReaderState.awake) return;
    if (
      state === ReaderState.napping &&
      (this.written - Atomics.load(this.control, Slot.read)) >>> 0 < this.wakeBytes
    )
      return;
    this.wake();
  }

  /** Publishes what is completed and wakes the reader, napping or asleep, to take it now. */
  publishAndWake(): void {
    this.publish();
    if (Atomics.load(this.control, Slot.readerAsleep) !== ReaderState.awake) this.wake();
  }

  private wake(): void {
    Atomics.store(this.control, Slot.readerAsleep, ReaderState.awake);
    Atomics.notify(this.control, Slot.readerAsleep);
  }

  private readonly publishNow = (): void => {
    this.publishScheduled = false;
    this.publish();
  };
}

export interface RingRecord {
  type: number;
  /** Offset of the payload in `bytes` / `view`. */
  offset: number;
  length: number;
}

export class RingReader extends RingView {
  private consumed = 0;
  private events = 0;

  /** Continues where another reader (a stopped worker) left off. */
  resume(): void {
    this.consumed = Atomics.load(this.control, Slot.read);
    this.events = Atomics.load(this.control, Slot.eventsRead);
  }

  /** Event records consumed so far. */
  get eventsConsumed(): number {
    return this.events;
  }

  /** True when a record is waiting. */
  get hasRecord(): boolean {
    return Atomics.load(this.control, Slot.write) !== this.consumed;
  }

  /**
   * Calls `take` for each complete record, oldest first, until the ring is empty or `take` returns false (that
   * record is left in place for the next call). The consumed bytes are released to the writer when it returns: one
   * pair of shared stores per call rather than per record.
   */
  readWhile(take: (record: RingRecord) => boolean): void {
    const record: RingRecord = { type: 0, offset: 0, length: 0 };
    const before = this.consumed;
    let end = Atomics.load(this.control, Slot.write);
    try {
      while (this.consumed !== end) {
        const offset = this.consumed & this.mask;
        const type = this.u32[offset >> 2] as number;
        if (type === RecordType.wrap) {
          this.consumed = (this.consumed + (this.capacity - offset)) | 0;
          continue;
        }
        record.type = type;
        record.length = this.u32[(offset >> 2) + 1] as number;
        record.offset = offset + HEADER_BYTES;
        if (!take(record)) return;
        this.consumed = (this.consumed + HEADER_BYTES + padded(record.length)) | 0;
        if (type !== RecordType.defineString) this.events++;
        if (this.consumed === end) end = Atomics.load(this.control, Slot.write);
      }
    } finally {
      if (this.consumed !== before) {
        Atomics.store(this.control, Slot.eventsRead, this.events);
        Atomics.store(this.control, Slot.read, this.consumed);
      }
    }
  }

  /**
   * Announces the reader waits in `state` (asleep or napping); false when it must not: a record arrived meanwhile
   * and nothing would wake a sleeper for it.
   */
  announceWait(state: number): boolean {
    Atomics.store(this.control, Slot.readerAsleep, state);
    if (state !== ReaderState.asleep || !this.hasRecord) return true;
    Atomics.store(this.control, Slot.readerAsleep, ReaderState.awake);
    return false;
  }

  publish(slot: number, value: number): void {
    // Unchanged values are not stored again: a store takes the cache line away from the writer's core.
    if (Atomics.load(this.control, slot) !== value) Atomics.store(this.control, slot, value);
  }
}
