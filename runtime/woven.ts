// The entries woven code calls (the contract in the transformer's woven-code shape).
// Hot path: with no sampled transaction current, wovenCall costs one getStore() and a few compares,
// and allocates nothing.
import { type Segment, shared, storage } from './context.js';
import { sanitizeLabels, truncate } from './limits.js';
import { Span, SpanKind, splitSpanType } from './span.js';
import { recordsChildren, runInSpan } from './span-run.js';
import { WovenAsyncIterator, WovenIterator } from './woven-iterators.js';

/** Everything about a woven function's span that is known at build time, prepared once per function. */
export class WovenSpanSpec extends SpanKind {
  /** A new span of this spec under `parent`. */
  start(parent: Segment): Span {
    return new Span(parent, this);
  }
}

export interface DefineSpanOptions {
  subtype?: string;
  action?: string;
  leaf?: boolean;
  labels?: Record<string, string | number | boolean>;
}

/** Prepares a woven function's span. `type` may be dotted `type.subtype.action` (default `code.custom`). */
export function defineSpan(name: string, type?: string, options?: DefineSpanOptions): WovenSpanSpec {
  try {
    const [mainType, subtype, action] = splitSpanType(type, options?.subtype, options?.action);
    const labels = options?.labels === undefined ? undefined : sanitizeLabels(options.labels, () => {});
    return new WovenSpanSpec(
      truncate(String(name || 'unnamed')),
      truncate(mainType),
      subtype === undefined ? undefined : truncate(subtype),
      action === undefined ? undefined : truncate(action),
      options?.leaf === true,
      labels !== undefined && Object.keys(labels).length > 0 ? { tags: labels } : undefined,
    );
  } catch {
    return new WovenSpanSpec('unnamed', 'code', 'custom', undefined, false, undefined);
  }
}

/** Runs `body` as a child span of the current span or transaction (see the woven-code contract). */
export function wovenCall<T>(spec: WovenSpanSpec | undefined, body: () => T): T {
  if (spec === undefined || shared.recordingTransactions === 0) return body();
  const parent = storage.getStore();
  if (parent === undefined || parent.leaf || !parent.transaction.recording) return body();
  const span = spec.start(parent);
  if (Object.getPrototypeOf(body) === ASYNC_FUNCTION_PROTOTYPE) {
    return wovenAsync(span, parent, body as () => Promise<unknown>) as T;
  }
  return runInSpan(span, parent, body);
}

const ASYNC_FUNCTION_PROTOTYPE = Object.getPrototypeOf(async () => {});

/**
 * The body of a woven async function (an async arrow, whose promise the woven function awaits, so returning
 * another promise is not observable). Awaiting it here, instead of attaching `then`, leaves the body's promise
 * one `await` as its only reaction: V8 then keeps the whole async stack trace (body / async wovenAsync /
 * async <the woven function> / async <its caller>) in errors, which a `then` would cut after the first frame.
 */
async function wovenAsync<T>(span: Span, parent: Segment, body: () => Promise<T>): Promise<T> {
  let promise: Promise<T>;
  storage.enterWith(span);
  try {
    promise = body();
  } finally {
    storage.enterWith(parent);
  }
  try {
    const value = await promise;
    span.end();
    return value;
  } catch (error) {
    span.outcome = 'failure';
    span.end();
    throw error;
  }
}

/** Wraps a generator so its whole life is one span and each step runs with that span current. */
export function wovenGenerator<T, R = unknown, N = unknown>(
  spec: WovenSpanSpec | undefined,
  it: Generator<T, R, N>,
): Generator<T, R, N> {
  if (spec === undefined) return it;
  const parent = storage.getStore();
  if (!recordsChildren(parent)) return it;
  return new WovenIterator(spec, parent, it) as unknown as Generator<T, R, N>;
}

/** Async generators likewise; the span ends when the generator finishes, throws or is returned. */
export function wovenAsyncGenerator<T, R = unknown, N = unknown>(
  spec: WovenSpanSpec | undefined,
  it: AsyncGenerator<T, R, N>,
): AsyncGenerator<T, R, N> {
  if (spec === undefined) return it;
  const parent = storage.getStore();
  if (!recordsChildren(parent)) return it;
  return new WovenAsyncIterator(spec, parent, it) as unknown as AsyncGenerator<T, R, N>;
}
