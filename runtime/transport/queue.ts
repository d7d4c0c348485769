// A fixed-capacity FIFO between the application and the sender. A ring buffer of two parallel
// arrays, so queueing an event allocates nothing and a full queue refuses instead of growing.
import type { EventKind } from './transport.js';

export class BoundedEventQueue {
  private readonly kinds: (EventKind | undefined)[];
  private readonly events: (object | undefined)[];
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    const slots = Math.max(1, Math.floor(capacity));
    this.kinds = new Array<EventKind | undefined>(slots);
    this.events = new Array<object | undefined>(slots);
  }

  get length(): number {
    return this.size;
  }

  /** False when full: the caller counts the drop. */
  push(kind: EventKind, event: object): boolean {
    const slots = this.kinds.length;
    if (this.size >= slots) return false;
    const tail = (this.head + this.size) % slots;
    this.kinds[tail] = kind;
    this.events[tail] = event;
    this.size++;
    return true;
  }

  /**
   * Removes events oldest first, handing each to `take`, until the queue is empty or `take`
   * returns false (the event it was given is consumed either way). Returns how many were removed.
   */
  takeWhile(take: (kind: EventKind, event: object) => boolean): number {
    const slots = this.kinds.length;
    let count = 0;
    while (this.size > 0) {
      const kind = this.kinds[this.head] as EventKind;
      const event = this.events[this.head] as object;
      // Release the slot first so a sent event can be collected while the queue is reused.
      this.kinds[this.head] = undefined;
      this.events[this.head] = undefined;
      this.head = (this.head + 1) % slots;
      this.size--;
      count++;
      if (!take(kind, event)) break;
    }
    return count;
  }

  /** Forgets up to `max` of the oldest events; returns how many. */
  discard(max: number): number {
    const count = Math.min(max, this.size);
    const slots = this.kinds.length;
    for (let i = 0; i < count; i++) {
      this.kinds[this.head] = undefined;
      this.events[this.head] = undefined;
      this.head = (this.head + 1) % slots;
    }
    this.size -= count;
    return count;
  }
}
