// What every agent process shares: its settings from the parent, the unwoven work function, and the
// baselines (a bare call and AsyncLocalStorage.run with a fresh object) measured in that same process.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { BenchCase, CaseResult, HeapResult } from '../harness.js';

export interface AgentSettings {
  sinkUrl: string;
  rounds: number;
  warmupRounds: number;
  batchOps: number;
  yieldEvery: number;
  heapCount: number;
  heapRepeats: number;
}

export interface AgentReport {
  agent: string;
  node: string;
  /** What mainNs measures in this process (harness.ts mainThreadClock). */
  mainThreadClock: string;
  cases: CaseResult[];
  /** Heap bytes per live span: in-flight operations holding an open span, minus the same without a span. */
  heap: HeapResult;
  /**
   * apm-weaver only: the woven async function called outside any transaction (no span, no context frame) against
   * the plain one: what the woven shape itself holds per call in flight.
   */
  heapWovenShape?: HeapResult;
  /** What the agent says it did with the events (sent, dropped), where it tells. */
  delivery: Record<string, unknown>;
}

export function readSettings(): AgentSettings {
  return JSON.parse(process.argv[2] ?? '{}') as AgentSettings;
}

/** The work inside every measured call: tiny, so the instrumentation cost dominates. */
export function plainWork(x: number): number {
  return (x * 31) ^ 7;
}

/** An in-flight async operation: waits for `gate`. */
export async function plainWait(gate: Promise<void>): Promise<void> {
  await gate;
}

export const BARE = 'bare call';
export const ALS_RUN = 'AsyncLocalStorage.run';
export const WOVEN_NO_TRANSACTION = 'woven call, no transaction';
export const WOVEN_IN_TRANSACTION = 'woven call in a sampled transaction';
export const TRANSACTION_WITH_SPAN = 'transaction with one span';
export const ELASTIC_SPAN = 'elastic-apm-node startSpan/end in a transaction';
export const ELASTIC_TRANSACTION = 'elastic-apm-node transaction with one span';
export const OTEL_SPAN = 'OpenTelemetry startActiveSpan in a root span';
export const OTEL_TRACE = 'OpenTelemetry root span with one child';
/** Tight-loop variants (no yield inside a batch): the no-transaction overhead is a few ns, below yield noise. */
export const TIGHT = ' (tight loop)';

const floorStorage = new AsyncLocalStorage<{ i: number }>();

/** How tight-loop cases run: no yield inside a batch, and batches 32 times longer. */
export const TIGHT_LOOP = { yieldEvery: Number.MAX_SAFE_INTEGER, batchScale: 32 };

export function baselineCases(tight = false): BenchCase[] {
  const suffix = tight ? TIGHT : '';
  const shape = tight ? TIGHT_LOOP : {};
  return [
    { name: BARE + suffix, op: (i) => plainWork(i), ...shape },
    { name: ALS_RUN + suffix, op: (i) => floorStorage.run({ i }, plainWork, i), ...shape },
  ];
}

/** A gate many in-flight operations wait on, and its opener. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * Heap per live span: `start(gate, i)` begins one in-flight operation holding an open span, `startPlain` the
 * same without a span. Both are held `count` at a time; the difference per operation is the span's share.
 */
export function liveSpanHolder(
  start: (g: Promise<void>, i: number) => Promise<unknown>,
): (n: number) => Promise<() => Promise<void>> {
  return async (n) => {
    const g = gate();
    const pending: Promise<unknown>[] = new Array(n);
    for (let i = 0; i < n; i++) pending[i] = start(g.promise, i);
    return async () => {
      g.open();
      await Promise.all(pending);
    };
  };
}
