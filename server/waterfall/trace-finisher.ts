// Decides when a trace is finished, so it can be printed once, whole.
//
// Rule: a trace is finished when its root transaction (a transaction whose parent is not in the
// trace) has arrived and no event came for that trace for `quietMs` (default 1 s). Agents send a
// transaction when it ends, usually after its spans, but batches from several services, or errors
// flushed later, can trail it; the quiet period catches those. A trace whose root never arrives is
// finished anyway after `incompleteAfterMs` (default 10 s) of quiet, and reported as incomplete.
// Events arriving after a trace was reported make it pending again: it is reported again, updated.
import type { Trace } from './model.js';
import type { TraceStore } from './trace-store.js';
import { buildWaterfall, type Waterfall } from './waterfall.js';

export interface FinishedTrace {
  waterfall: Waterfall;
  /** False when reported because the root transaction never arrived. */
  complete: boolean;
  /** True when this trace was reported before and events arrived since. */
  update: boolean;
}

export interface TraceFinisherOptions {
  quietMs?: number;
  incompleteAfterMs?: number;
  onFinished: (finished: FinishedTrace) => void;
}

interface Pending {
  timer: NodeJS.Timeout;
  lastEventAt: number;
}

export class TraceFinisher {
  readonly #pending = new Map<string, Pending>();
  readonly #reported = new Set<string>();
  readonly #quietMs: number;
  readonly #incompleteAfterMs: number;
  readonly #onFinished: (finished: FinishedTrace) => void;
  readonly #store: TraceStore;
  readonly #unsubscribe: () => void;

  constructor(store: TraceStore, options: TraceFinisherOptions) {
    this.#store = store;
    this.#quietMs = Math.max(0, options.quietMs ?? 1000);
    this.#incompleteAfterMs = Math.max(this.#quietMs, options.incompleteAfterMs ?? 10_000);
    this.#onFinished = options.onFinished;
    this.#unsubscribe = store.subscribe((trace, change) => {
      if (change === 'evicted') this.#forget(trace.traceId);
      else this.#schedule(trace);
    });
  }

  /** Stops watching; traces still pending are not reported. */
  close(): void {
    this.#unsubscribe();
    for (const pending of this.#pending.values()) clearTimeout(pending.timer);
    this.#pending.clear();
  }

  #schedule(trace: Trace): void {
    const existing = this.#pending.get(trace.traceId);
    if (existing) {
      existing.lastEventAt = Date.now();
      existing.timer.refresh();
      return;
    }
    const timer = setTimeout(() => this.#check(trace.traceId), this.#quietMs);
    // Pending traces must not keep a process alive that is otherwise done.
    timer.unref();
    this.#pending.set(trace.traceId, { timer, lastEventAt: Date.now() });
  }

  #check(traceId: string): void {
    const pending = this.#pending.get(traceId);
    const trace = this.#store.get(traceId);
    if (!pending || !trace) {
      this.#forget(traceId);
      return;
    }
    const waterfall = buildWaterfall(trace);
    const standaloneError = waterfall.rows.length === 0 && waterfall.errorCount > 0;
    const complete = waterfall.hasRoot || standaloneError;
    if (!complete && Date.now() - pending.lastEventAt < this.#incompleteAfterMs) {
      pending.timer.refresh();
      return;
    }
    this.#pending.delete(traceId);
    const update = this.#reported.has(traceId);
    this.#reported.add(traceId);
    try {
      this.#onFinished({ waterfall, complete, update });
    } catch {
      // Printing must never break intake.
    }
  }

  #forget(traceId: string): void {
    const pending = this.#pending.get(traceId);
    if (pending) clearTimeout(pending.timer);
    this.#pending.delete(traceId);
    this.#reported.delete(traceId);
  }
}
