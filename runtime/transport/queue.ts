// A fixed-capacity FIFO between the application and the sender. A ring buffer of parallel arrays, so queueing an
// event allocates nothing and a full queue refuses instead of growing. An entry is one event object, or a run of
// encoded lines (encoded-lines.ts) that counts as its lines: capacity and length are in events, and a run may be
// taken a part at a time.
import { EncodedLines, eventCount } from './encoded-lines.js';
import type { EventKind } from './transport.js';

export class BoundedEventQueue {
  private readonly kinds: (EventKind | undefined)[];
  private readonly events: (object | undefined)[];
  private head = 0;
  /** Entries in use. */
  private entries = 0;
  /** Events in them. */
  private size = 0;

  constructor(readonly capacity: number) {
    // An entry holds at least one event, so there are never more entries than events.
    const slots = Math.max(1, Math.floor(capacity));
    this.kinds = new Array<EventKind | undefined>(slots);
    this.events = new Array<object | undefined>(slots);
  }

  /** Events queued. */
  get length(): number {
    return this.size;
  }

  /** Events the queue takes now. */
  get room(): number {
    return this.kinds.length - this.size;
  }

  /** False when the event (all of a run's lines) does not fit: the caller counts the drop. */
  push(kind: EventKind, event: object): boolean {
    const slots = this.kinds.length;
    const count = eventCount(event);
    if (this.size + count > slots) return false;
    const tail = (this.head + this.entries) % slots;
    this.kinds[tail] = kind;
    this.events[tail] = event;
    this.entries++;
    this.size += count;
    return true;
  }

  /**
   * Queues what fits: the event, all of a run, or the first lines of a run as many as there is room for (the rest
   * stays in `event`, not queued). Returns the events queued; the caller counts the rest dropped.
   */
  pushFitting(kind: EventKind, event: object): number {
    const count = Math.min(eventCount(event), this.room);
    if (count <= 0) return 0;
    const fitting = event instanceof EncodedLines && count < event.count ? event.takeFirst(count) : event;
    return this.push(kind, fitting) ? count : 0;
  }

  /** The oldest entry's kind; undefined when empty. */
  get headKind(): EventKind | undefined {
    return this.kinds[this.head];
  }

  /** The oldest entry; undefined when empty. */
  get headEvent(): object | undefined {
    return this.events[this.head];
  }

  /**
   * Removes the oldest entry and returns it, or only the first `lines` lines of a run that holds more (the rest stays
   * at the head). Call only when not empty.
   */
  shift(lines = Number.POSITIVE_INFINITY): object {
    const event = this.events[this.head] as object;
    if (event instanceof EncodedLines && lines < event.count) {
      this.size -= lines;
      return event.takeFirst(lines);
    }
    // Release the slot first so a sent event can be collected while the queue is reused.
    this.kinds[this.head] = undefined;
    this.events[this.head] = undefined;
    this.head = (this.head + 1) % this.kinds.length;
    this.entries--;
    this.size -= eventCount(event);
    return event;
  }

  /** Forgets up to `max` of the oldest events (a run in part if need be); returns how many. */
  discard(max: number): number {
    const before = this.size;
    while (this.entries > 0 && before - this.size < max) this.shift(max - (before - this.size));
    return before - this.size;
  }
}
