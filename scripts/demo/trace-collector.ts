// Keeps the newest waterfall of every finished trace the local intake reported, and lets the demo
// wait until the received traces satisfy a condition.
import type { FinishedTrace, Waterfall } from '../../server/waterfall/index.js';

export class TraceCollector {
  readonly #latest = new Map<string, Waterfall>();
  readonly #waiters = new Set<() => void>();

  add(finished: FinishedTrace): void {
    this.#latest.set(finished.waterfall.traceId, finished.waterfall);
    for (const wake of this.#waiters) wake();
  }

  get waterfalls(): Waterfall[] {
    return [...this.#latest.values()];
  }

  /** Resolves true once `done(waterfalls)` holds, false when `timeoutMs` passes first. */
  waitFor(done: (waterfalls: Waterfall[]) => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(result);
      };
      const check = () => {
        if (done(this.waterfalls)) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }
}
