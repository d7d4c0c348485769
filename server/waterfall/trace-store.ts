// Groups intake events into traces by trace id, in any arrival order, with bounded memory:
// the least recently updated trace is evicted past `maxTraces`, and a trace stops growing at
// `maxItemsPerTrace` (further events are counted as dropped).
import { stringAt, stringPath } from './fields.js';
import type { ServiceSummary, Trace, TraceEventInput } from './model.js';
import { serviceOf, toTraceError, toTraceItem } from './normalise.js';

export interface TraceStoreOptions {
  /** Traces kept (default 100). */
  maxTraces?: number;
  /** Transactions, spans and errors kept per trace (default 2000). */
  maxItemsPerTrace?: number;
  /** Services remembered (default 100). */
  maxServices?: number;
}

export type TraceChange = 'updated' | 'evicted';
export type TraceListener = (trace: Trace, change: TraceChange) => void;

/** Key for an error sent without a trace id: it becomes a trace of its own. */
const STANDALONE_PREFIX = 'error:';

export class TraceStore {
  readonly #traces = new Map<string, Trace>();
  readonly #services = new Map<string, ServiceSummary>();
  readonly #listeners = new Set<TraceListener>();
  readonly #maxTraces: number;
  readonly #maxItemsPerTrace: number;
  readonly #maxServices: number;
  #sequence = 0;

  constructor(options: TraceStoreOptions = {}) {
    this.#maxTraces = Math.max(1, options.maxTraces ?? 100);
    this.#maxItemsPerTrace = Math.max(1, options.maxItemsPerTrace ?? 2000);
    this.#maxServices = Math.max(1, options.maxServices ?? 100);
  }

  /** Adds one event; returns the trace it changed (undefined for metrics, logs and unusable events). */
  add(event: TraceEventInput): Trace | undefined {
    this.#countForService(event);
    if (event.kind !== 'transaction' && event.kind !== 'span' && event.kind !== 'error') return undefined;
    const traceId = this.#traceIdOf(event);
    if (traceId === undefined) return undefined;
    const sequence = ++this.#sequence;
    const item = event.kind === 'error' ? undefined : toTraceItem(event, sequence);
    if (event.kind !== 'error' && !item) return undefined; // no id: nothing could ever point at it
    const trace = this.#touch(traceId, event.receivedAt);
    if (trace.items.size + trace.errors.length >= this.#maxItemsPerTrace) {
      trace.droppedEvents++;
    } else if (item) {
      // A duplicate id (an agent retrying a request) replaces the earlier copy.
      trace.items.set(item.id, item);
    } else {
      trace.errors.push(toTraceError(event, `${STANDALONE_PREFIX}${sequence}`));
    }
    trace.version = sequence;
    this.#evictOldest();
    this.#emit(trace, 'updated');
    return trace;
  }

  get(traceId: string): Trace | undefined {
    return this.#traces.get(traceId);
  }

  /** Traces, most recently updated first. */
  list(): Trace[] {
    return [...this.#traces.values()].reverse();
  }

  /** Services, most recently seen first. */
  services(): ServiceSummary[] {
    return [...this.#services.values()].sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  }

  get size(): number {
    return this.#traces.size;
  }

  subscribe(listener: TraceListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #traceIdOf(event: TraceEventInput): string | undefined {
    const traceId = stringAt(event.data, 'trace_id');
    if (traceId) return traceId;
    if (event.kind !== 'error') return undefined; // spans and transactions without a trace id cannot be placed
    return `${STANDALONE_PREFIX}${stringAt(event.data, 'id') ?? `#${this.#sequence + 1}`}`;
  }

  /** Finds or creates the trace and moves it to the most-recent end of the map (eviction order). */
  #touch(traceId: string, receivedAt: number): Trace {
    const existing = this.#traces.get(traceId);
    if (existing) {
      this.#traces.delete(traceId);
      this.#traces.set(traceId, existing);
      existing.lastReceivedAt = receivedAt;
      return existing;
    }
    const trace: Trace = {
      traceId,
      items: new Map(),
      errors: [],
      firstReceivedAt: receivedAt,
      lastReceivedAt: receivedAt,
      droppedEvents: 0,
      version: 0,
    };
    this.#traces.set(traceId, trace);
    return trace;
  }

  #evictOldest(): void {
    while (this.#traces.size > this.#maxTraces) {
      const oldest = this.#traces.values().next().value;
      if (!oldest) return;
      this.#traces.delete(oldest.traceId);
      this.#emit(oldest, 'evicted');
    }
  }

  #countForService(event: TraceEventInput): void {
    const name = serviceOf(event);
    let summary = this.#services.get(name);
    if (!summary) {
      summary = {
        name,
        transactions: 0,
        spans: 0,
        errors: 0,
        metricsets: 0,
        logs: 0,
        lastSeenAt: event.receivedAt,
      };
      this.#services.set(name, summary);
      this.#evictOldestService();
    }
    const { metadata } = event;
    summary.environment = stringPath(metadata, 'service', 'environment') ?? summary.environment;
    summary.agent = stringPath(metadata, 'service', 'agent', 'name') ?? summary.agent;
    summary.language = stringPath(metadata, 'service', 'language', 'name') ?? summary.language;
    summary.lastSeenAt = Math.max(summary.lastSeenAt, event.receivedAt);
    if (event.kind === 'transaction') summary.transactions++;
    else if (event.kind === 'span') summary.spans++;
    else if (event.kind === 'error') summary.errors++;
    else if (event.kind === 'metricset') summary.metricsets++;
    else if (event.kind === 'log') summary.logs++;
  }

  #evictOldestService(): void {
    if (this.#services.size <= this.#maxServices) return;
    let oldest: ServiceSummary | undefined;
    for (const summary of this.#services.values()) {
      if (!oldest || summary.lastSeenAt < oldest.lastSeenAt) oldest = summary;
    }
    if (oldest) this.#services.delete(oldest.name);
  }

  #emit(trace: Trace, change: TraceChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(trace, change);
      } catch {
        // A broken listener (a closed page stream, a printer) must not stop intake.
      }
    }
  }
}
