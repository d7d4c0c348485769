// The entries of a woven async function (the woven-code contract). The woven function returns what
// wovenAsyncCall gives it (the body's promise, or with a span a promise chained on it):
//
//   async function g(a) {
//     const __apmB0$g = async () => { /* body */ };
//     return __apmAsync(__apmS0, __apmB0$g);
//   }
//
// so a call in flight holds one suspended async frame (the body's), as the unwoven function did: g itself has
// returned, its promise following the one it returned. Earlier versions wove g to await its body (two frames,
// ~350 B more per call in flight on Node 24); wovenAsyncStart, wovenAsyncRun, wovenAsyncEnd and wovenAsyncFail stay
// for that code. The body arrow is named `__apmB<n>$<g's qualified name>`: after the body's first await no frame
// of g is left in a stack trace, and stack.ts takes the function's name from the body's.
import { AsyncResource } from 'node:async_hooks';
import { CONTEXT_IN_FRAMES, shared, storage } from './context.js';
import { Span } from './span.js';
import { recordsChildren } from './span-run.js';
import type { WovenSpanSpec } from './woven.js';

const NativePromise = Promise;
const promiseThen = NativePromise.prototype.then;

/**
 * One call of a woven async function, for the woven function to return: its span started as a child of the current
 * span (not made current in the woven function's own code), the body run with the span current, and a promise of
 * the body's outcome (the same value, the very same error) that settles once the span has ended. Outside a sampled
 * transaction, under a leaf span or with `spec` undefined: the body's own promise, nothing allocated.
 */
export function wovenAsyncCall<T>(spec: WovenSpanSpec | undefined, body: () => Promise<T>): Promise<T> {
  const span = wovenAsyncStart(spec);
  return span === undefined ? body() : inCallerScope(wovenAsyncChain, span, body);
}

/**
 * body() with `span` current, and the handlers that end the span chained on its promise. A chain, not a second
 * handler on the body's promise: V8 follows a promise with one reaction when it writes an async stack trace, so the
 * woven function's callers stay in it. The handlers are attached while the span is current, so their reaction runs
 * in the span's context and they find the span there: no function is made per call (bound ones cost ~90-100 B
 * more per call in flight, Node 20 and 24 alike).
 */
function wovenAsyncChain<T>(span: Span, body: () => Promise<T>): Promise<T> {
  storage.enterWith(span);
  const result = body();
  // The body's synchronous part may have made another segment current (beginTransaction): the handlers need the
  // span. Rare, so the common path makes no second context frame.
  if (storage.getStore() !== span) storage.enterWith(span);
  // An async arrow compiled down onto another promise library (Babel's async-to-generator with Bluebird's
  // coroutine) returns that library's promise, which the built-in `then` refuses: it is adopted first.
  const promise = result instanceof NativePromise ? result : NativePromise.resolve(result);
  return promiseThen.call(promise, endCurrentSpan, failCurrentSpan) as Promise<T>;
}

function endCurrentSpan<T>(value: T): T {
  const span = storage.getStore();
  if (span instanceof Span) span.end();
  return value;
}

function failCurrentSpan(error: unknown): never {
  const span = storage.getStore();
  if (span instanceof Span) {
    span.outcome = 'failure';
    span.end();
  }
  throw error;
}

/**
 * The span of one call of a woven async function, started but not made current (the woven function's own code
 * runs in its caller's context). Undefined, allocating nothing, when no span would be recorded: no sampled
 * transaction, a leaf parent, or `spec` undefined (the module body has not run yet).
 */
export function wovenAsyncStart(spec: WovenSpanSpec | undefined): Span | undefined {
  if (spec === undefined || shared.recordingTransactions === 0) return undefined;
  const parent = storage.getStore();
  return recordsChildren(parent) ? spec.start(parent) : undefined;
}

/**
 * Calls the body with `span` current and returns the body's own promise. Only the body's synchronous part runs
 * here; its continuations keep the span (AsyncLocalStorage follows the await), while the caller's context is put
 * back as soon as the body first suspends or returns.
 */
export function wovenAsyncRun<T>(span: Span | undefined, body: () => Promise<T>): Promise<T> {
  return span === undefined ? body() : inCallerScope(wovenAsyncEnter, span, body);
}

function wovenAsyncEnter<T>(span: Span, body: () => Promise<T>): Promise<T> {
  storage.enterWith(span);
  return body();
}

/**
 * Calls `enter(span, body)`, which makes the span current, and gives the caller its own context back afterwards.
 * Node 24 keeps AsyncLocalStorage values in immutable context frames (a Map per frame): restoring the caller's
 * store with enterWith would make a second frame, which the body's continuations could then hold for the whole call
 * (~190 B per call in flight). An AsyncResource made here captures the caller's very frame and runInAsyncScope puts
 * that same frame back afterwards: one new frame per call, and less work (CONTEXT_IN_FRAMES, context.ts).
 */
function inCallerScope<T>(
  enter: (span: Span, body: () => Promise<T>) => Promise<T>,
  span: Span,
  body: () => Promise<T>,
): Promise<T> {
  if (CONTEXT_IN_FRAMES) {
    return new AsyncResource('apm-weaver').runInAsyncScope(enter, undefined, span, body) as Promise<T>;
  }
  const previous = storage.getStore();
  try {
    return enter(span, body);
  } finally {
    storage.enterWith(previous);
  }
}

/** The body resolved: ends the span and hands the value on. */
export function wovenAsyncEnd<T>(span: Span | undefined, value: T): T {
  span?.end();
  return value;
}

/** The body threw or rejected: outcome failure, ends the span, and hands the very same error on to rethrow. */
export function wovenAsyncFail(span: Span | undefined, error: unknown): unknown {
  if (span !== undefined) {
    span.outcome = 'failure';
    span.end();
  }
  return error;
}
