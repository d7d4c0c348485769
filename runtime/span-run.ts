// Running code inside a span: make it current, end it when the code returns, throws, or when a
// returned promise (or thenable) settles. The caller always gets the very value the code produced.
//
// The span is made current with enterWith + restore instead of AsyncLocalStorage.run: same effect on
// the current async resource, without run()'s rest-argument array and Reflect.apply per call. Where context
// lives in frames (Node 24), the caller's own frame is put back by AsyncResource.runInAsyncScope instead of
// being copied again by a second enterWith (see CONTEXT_IN_FRAMES).
import { AsyncResource } from 'node:async_hooks';
import { CONTEXT_IN_FRAMES, type Segment, storage } from './context.js';
import { truncate } from './limits.js';
import { Span, type SpanContext, SpanKind, splitSpanType } from './span.js';

/** True when a new child of `parent` would be recorded: a sampled, open transaction and no leaf parent. */
export function recordsChildren(parent: Segment | undefined): parent is Segment {
  return parent !== undefined && !parent.leaf && parent.transaction.recording;
}

/** Calls `body()` with `span` current; `parent` is what was current before. */
export function runInSpan<T>(span: Span, parent: Segment, body: () => T): T {
  let result: T;
  try {
    result = CONTEXT_IN_FRAMES
      ? (new AsyncResource('apm-weaver').runInAsyncScope(wovenSyncEnter, undefined, span, body) as T)
      : enterAndCall(span, parent, body);
  } catch (error) {
    span.outcome = 'failure';
    span.end();
    throw error;
  }
  endWhenSettled(span, result);
  return result;
}

function enterAndCall<T>(span: Span, parent: Segment, body: () => T): T {
  storage.enterWith(span);
  try {
    return body();
  } finally {
    storage.enterWith(parent);
  }
}

/** Inside runInAsyncScope, which puts the caller's context frame back when it returns or throws. */
function wovenSyncEnter<T>(span: Span, body: () => T): T {
  storage.enterWith(span);
  return body();
}

/** Calls `fn.apply(thisArg, args)` with `span` current (methods wrapped by decorators). */
export function applyInSpan<T>(
  span: Span,
  parent: Segment,
  fn: (...args: unknown[]) => T,
  thisArg: unknown,
  args: unknown[],
): T {
  let result: T;
  storage.enterWith(span);
  try {
    result = fn.apply(thisArg, args);
  } catch (error) {
    span.outcome = 'failure';
    span.end();
    throw error;
  } finally {
    storage.enterWith(parent);
  }
  endWhenSettled(span, result);
  return result;
}

/** Ends the span now, or when `result` (a promise or thenable) settles; rejection means failure. */
export function endWhenSettled(span: Span, result: unknown): void {
  if (result instanceof Promise) {
    result.then(
      () => span.end(),
      () => failAndEnd(span),
    );
    return;
  }
  if (result !== null && (typeof result === 'object' || typeof result === 'function')) {
    let then: unknown;
    try {
      then = (result as { then?: unknown }).then;
    } catch {
      then = undefined;
    }
    if (typeof then === 'function') {
      try {
        then.call(
          result,
          () => span.end(),
          () => failAndEnd(span),
        );
      } catch {
        span.end();
      }
      return;
    }
  }
  span.end();
}

function failAndEnd(span: Span): void {
  span.outcome = 'failure';
  span.end();
}

export interface StartSpanOptions {
  subtype?: string;
  action?: string;
  /** No spans are recorded under it (exit spans are leaves). */
  leaf?: boolean;
  /** Intake v2 span context: http, destination, service.target, db, tags. */
  context?: SpanContext;
}

/**
 * Starts a child span of `parent` without making it current (for instrumentation: an outgoing request's
 * exit span). Returns undefined when nothing would be recorded (no sampled open transaction, or a leaf
 * parent). End it with `span.end()`; set `span.outcome` first when it is known.
 */
export function startSpan(
  parent: Segment | undefined,
  name: string,
  type: string,
  options?: StartSpanOptions,
): Span | undefined {
  if (!recordsChildren(parent)) return undefined;
  const [mainType, subtype, action] = splitSpanType(type, options?.subtype, options?.action);
  return new Span(
    parent,
    new SpanKind(
      truncate(name || 'unnamed'),
      truncate(mainType),
      subtype,
      action,
      options?.leaf === true,
      options?.context,
    ),
  );
}
