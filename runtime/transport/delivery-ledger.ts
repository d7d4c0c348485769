// Sequence bookkeeping for flush(): events are numbered as they enter the queue, handed to
// requests in that order, and settle (sent or failed) when their request finishes. Requests may
// overlap (a new one streams while the previous waits for its answer), so "settled" only
// advances over a finished prefix; flush() waits until it passes the count it saw.

/** Events that leave together: an intake request, or a group given up without one. */
export interface Batch {
  eventCount: number;
  finished: boolean;
}

interface Waiter {
  target: number;
  resolve: () => void;
  holdProcess: boolean;
}

export class DeliveryLedger {
  /** Events accepted into the queue. */
  accepted = 0;
  /** Events handed to a batch (a request, or a discard). */
  written = 0;
  /** Events whose batch finished, counting only the finished prefix. */
  settled = 0;
  private readonly open: Batch[] = [];
  private waiters: Waiter[] = [];
  private hold: NodeJS.Timeout | undefined;
  private progressWaiters: (() => void)[] = [];

  /** A request started: its events will be counted in as they are written. */
  track(batch: Batch): void {
    this.open.push(batch);
  }

  /** Events given up without a request (flushed while the server is failing). */
  discard(count: number): void {
    if (count <= 0) return;
    this.written += count;
    this.open.push({ eventCount: count, finished: true });
    this.settle();
  }

  /** Call when a batch finishes: advances `settled` and resolves the flushes it satisfies. */
  settle(): void {
    while (this.open[0]?.finished) this.settled += (this.open.shift() as Batch).eventCount;
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.target <= this.settled) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
    if (this.hold && !still.some((w) => w.holdProcess)) this.releaseHold();
  }

  /** The highest sequence number a pending flush waits for (0 when none). */
  get flushTarget(): number {
    let max = 0;
    for (const waiter of this.waiters) max = Math.max(max, waiter.target);
    return max;
  }

  get idle(): boolean {
    return this.settled >= this.accepted;
  }

  /**
   * Resolves once every event accepted so far has settled.
   * @param holdProcess keep the event loop alive meanwhile: the transport's sockets and timers are
   *   unref'd, so without it `await flush()` as a script's last act could see the process exit first.
   */
  waitForAll(holdProcess: boolean): Promise<void> {
    const target = this.accepted;
    if (this.settled >= target) return Promise.resolve();
    if (holdProcess && !this.hold) this.hold = setInterval(() => {}, 60_000);
    return new Promise<void>((resolve) => this.waiters.push({ target, resolve, holdProcess }));
  }

  releaseHold(): void {
    clearInterval(this.hold);
    this.hold = undefined;
  }

  /** Resolves on the next progressed() call. */
  nextProgress(): Promise<void> {
    return new Promise<void>((resolve) => this.progressWaiters.push(resolve));
  }

  /** Events were written or given up, a batch finished, or the sender stopped: wakes nextProgress() waiters. */
  progressed(): void {
    if (this.progressWaiters.length === 0) return;
    const waiters = this.progressWaiters;
    this.progressWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
