// The entries of a woven async function (the woven-code contract). The woven function itself awaits its body:
//
//   async function g(a) {
//     const __apmT0 = __apmStart(__apmS0), __apmB0 = async () => { /* body */ };
//     try { return __apmEnd(__apmT0, await __apmRun(__apmT0, __apmB0)); }
//     catch (__apmE0) { throw __apmFail(__apmT0, __apmE0); }
//   }
//
// so a call in flight holds two suspended async frames (g and the body), not three as with wovenCall's async path
// (which awaits the body in a runtime async function of its own), and V8's async stack trace runs straight from the
// body through g to g's callers. The body arrow has a name (`__apmB<n>`) so that stack.ts can fold its frame into
// g's even after an await, where no runtime frame stands between them.
import { AsyncResource } from 'node:async_hooks';
import { CONTEXT_IN_FRAMES, shared, storage } from './context.js';
import type { Span } from './span.js';
import { recordsChildren } from './span-run.js';
import type { WovenSpanSpec } from './woven.js';

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
  if (span === undefined) return body();
  if (CONTEXT_IN_FRAMES) {
    return new AsyncResource('apm-weaver').runInAsyncScope(
      wovenAsyncEnter,
      undefined,
      span,
      body,
    ) as Promise<T>;
  }
  const previous = storage.getStore();
  storage.enterWith(span);
  try {
    return body();
  } finally {
    storage.enterWith(previous);
  }
}

// Node 24 keeps AsyncLocalStorage values in immutable context frames (a Map per frame): restoring the caller's store
// with enterWith would make a second frame, which the woven function's await then holds for the whole call (~190 B
// per call in flight). An AsyncResource made here captures the caller's very frame and runInAsyncScope puts that
// same frame back afterwards: one new frame per call, and less work (CONTEXT_IN_FRAMES, context.ts).
function wovenAsyncEnter<T>(span: Span, body: () => Promise<T>): Promise<T> {
  storage.enterWith(span);
  return body();
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
