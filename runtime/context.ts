// Which transaction or span is current, carried across await, timers and callbacks by AsyncLocalStorage.
// The storage and the current client live on one versioned Symbol.for global, so two bundled copies of
// the runtime in one process see the same client and each other's spans.
// The global holds an inert AsyncLocalStorage (Node enables it on first run/enterWith) and no client
// until one is constructed: importing the runtime changes nothing else.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from './span.js';
import type { Transaction } from './transaction.js';
import { AGENT_VERSION } from './version.js';

/** What can be current: a transaction, or a span inside one. Both expose `transaction`, `leaf`, `id`. */
export type Segment = Transaction | Span;

/** The contract shared between copies; bump the key's version when its shape changes. */
export interface SharedRuntime {
  readonly agentVersion: string;
  readonly storage: AsyncLocalStorage<Segment | undefined>;
  /** The newest Client (typed loosely: another copy's Client class is a different class). */
  client: unknown;
  /**
   * Sampled transactions started and not yet ended, in every copy. While it is 0 no span can be recorded
   * anywhere, so woven calls skip even the getStore() lookup (which costs more once the storage is enabled).
   */
  recordingTransactions: number;
}

const GLOBAL_KEY = Symbol.for('apm-weaver.runtime.v1');
const registry = globalThis as { [GLOBAL_KEY]?: SharedRuntime };

function sharedRuntime(): SharedRuntime {
  const existing = registry[GLOBAL_KEY];
  if (existing !== undefined) return existing;
  const created: SharedRuntime = {
    agentVersion: AGENT_VERSION,
    storage: new AsyncLocalStorage<Segment | undefined>(),
    client: undefined,
    recordingTransactions: 0,
  };
  registry[GLOBAL_KEY] = created;
  return created;
}

export const shared: SharedRuntime = sharedRuntime();

export const storage = shared.storage;

/**
 * True where AsyncLocalStorage keeps its values in immutable context frames (Node 24 by default): there every
 * enterWith copies the frame's Map, and putting the caller's own frame back (AsyncResource.runInAsyncScope does)
 * is cheaper than making a second copy with enterWith. Where the storage is built on async hooks instead (Node 20
 * and 22; `_propagate` is that implementation's method), enterWith allocates nothing and is the cheaper way.
 */
export const CONTEXT_IN_FRAMES =
  typeof (Object.getPrototypeOf(storage) as { _propagate?: unknown })._propagate !== 'function';

/** The current transaction or span, or undefined. */
export function currentSegment(): Segment | undefined {
  return storage.getStore();
}

/** The current transaction (the transaction of the current span), or undefined. */
export function currentTransaction(): Transaction | undefined {
  return storage.getStore()?.transaction;
}

/**
 * Runs `fn(...args)` with `segment` current (undefined: no transaction current) and returns its result.
 * Arguments are passed through so callers need no closure.
 */
export function runWithin<A extends unknown[], R>(
  segment: Segment | undefined,
  fn: (...args: A) => R,
  ...args: A
): R {
  return storage.run(segment, fn, ...args);
}

/** Makes `segment` current for the rest of the current synchronous run and the async work it starts. */
export function enterSegment(segment: Segment | undefined): void {
  storage.enterWith(segment);
}
