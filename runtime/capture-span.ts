// captureSpan / asyncCaptureSpan: the Python agent's capture_span in its three JavaScript forms.
//   @captureSpan(name?, options?)            method decorator (TS 5 standard and experimentalDecorators)
//   captureSpan(name, options, fn)           runs fn in a span, returns fn's result (promises end it on settle)
//   using span = captureSpan(name, options)  the span lasts until the end of the block
import { type LinkLike, toLinks } from './client.js';
import { type Segment, storage } from './context.js';
import { type Labels, sanitizeLabels, truncate } from './limits.js';
import { Span, type SpanCallSite, SpanKind, splitSpanType } from './span.js';
import { applyInSpan, recordsChildren, runInSpan } from './span-run.js';

export interface CaptureSpanOptions {
  /** Span type; the dotted form `type.subtype.action` is split. Default `code.custom`. */
  type?: string;
  subtype?: string;
  action?: string;
  /** Frames to drop from the top of the span's stack trace (recorded for spans >= spanStackTraceMinDuration). */
  skipFrames?: number;
  /** Spans started while this one is current are not recorded. */
  leaf?: boolean;
  labels?: Labels;
  links?: LinkLike[];
}

/** What captureSpan(name?, options?) returns: a decorator that is also a disposable for `using`. */
export interface SpanHandle extends Disposable, AsyncDisposable {
  // biome-ignore lint/suspicious/noExplicitAny: decorators receive any method shape
  (value: any, context: any, descriptor?: PropertyDescriptor): any;
}

class Prepared {
  readonly type: string;
  readonly subtype: string | undefined;
  readonly action: string | undefined;
  readonly leaf: boolean;
  readonly labels: Labels | undefined;
  readonly options: CaptureSpanOptions | undefined;

  constructor(
    readonly name: string | undefined,
    options: CaptureSpanOptions | undefined,
  ) {
    const [type, subtype, action] = splitSpanType(options?.type, options?.subtype, options?.action);
    this.type = truncate(type);
    this.subtype = subtype === undefined ? undefined : truncate(subtype);
    this.action = action === undefined ? undefined : truncate(action);
    this.leaf = options?.leaf === true;
    const labels = options?.labels === undefined ? undefined : sanitizeLabels(options.labels, () => {});
    this.labels = labels && Object.keys(labels).length > 0 ? labels : undefined;
    this.options = options;
  }

  /** Starts the span; `anchor` is the function the user called, so its caller is the first frame. */
  start(parent: Segment, fallbackName: string, anchor: Function): Span {
    const span = new Span(
      parent,
      new SpanKind(
        truncate(this.name || fallbackName || 'unnamed'),
        this.type,
        this.subtype,
        this.action,
        this.leaf,
        this.labels === undefined ? undefined : { tags: { ...this.labels } },
      ),
    );
    span.links = toLinks(this.options?.links);
    const minDuration = parent.transaction.reporter.config.spanStackTraceMinDuration ?? 5;
    if (minDuration >= 0) {
      const skip = this.options?.skipFrames;
      const callSite: SpanCallSite = { skip: typeof skip === 'number' && skip > 0 ? skip : 0, minDuration };
      Error.captureStackTrace(callSite, anchor);
      span.callSite = callSite;
    }
    return span;
  }
}

export function captureSpan(name?: string, options?: CaptureSpanOptions): SpanHandle;
export function captureSpan<T>(
  name: string | undefined,
  options: CaptureSpanOptions | undefined,
  fn: () => T,
): T;
export function captureSpan<T>(name?: string, options?: CaptureSpanOptions, fn?: () => T): T | SpanHandle {
  let prepared: Prepared;
  try {
    prepared = new Prepared(name === undefined ? undefined : String(name), options);
  } catch {
    prepared = new Prepared(undefined, undefined);
  }
  if (typeof fn === 'function') {
    const parent = storage.getStore();
    if (!recordsChildren(parent)) return fn();
    return runInSpan(prepared.start(parent, fn.name, captureSpan), parent, fn);
  }
  return spanHandle(prepared);
}

/** The same as captureSpan: promises are handled by every form. Named for parity with the Python agent. */
export const asyncCaptureSpan: typeof captureSpan = captureSpan;

function spanHandle(prepared: Prepared): SpanHandle {
  const handle = ((value: unknown, context: unknown, descriptor?: PropertyDescriptor) =>
    decorate(prepared, value, context, descriptor)) as SpanHandle;
  // `using` reads [Symbol.dispose] once, right where the declaration runs: that is where the span starts.
  // A decorator never reads it, so decorating a method starts nothing.
  const begin = () => beginScoped(prepared, begin);
  Object.defineProperty(handle, Symbol.dispose, { get: begin });
  Object.defineProperty(handle, Symbol.asyncDispose, {
    get() {
      const end = begin();
      return async () => end();
    },
  });
  return handle;
}

function beginScoped(prepared: Prepared, anchor: Function): () => void {
  const parent = storage.getStore();
  if (!recordsChildren(parent)) return () => {};
  const span = prepared.start(parent, '', anchor);
  storage.enterWith(span);
  return () => {
    span.end();
    if (storage.getStore() === span) storage.enterWith(parent);
  };
}

type Method = (...args: unknown[]) => unknown;

function decorate(
  prepared: Prepared,
  value: unknown,
  context: unknown,
  descriptor?: PropertyDescriptor,
): unknown {
  // TypeScript 5 / TC39 decorators: (method, { kind, name, static }) => replacement
  if (typeof value === 'function' && context !== null && typeof context === 'object' && 'kind' in context) {
    const { kind, name, static: isStatic } = context as { kind: string; name: unknown; static?: boolean };
    if (kind !== 'method' && kind !== 'getter' && kind !== 'setter') return value;
    return wrapMethod(prepared, value as Method, String(name), isStatic === true);
  }
  // experimentalDecorators: (prototype or constructor, key, descriptor) => descriptor
  if (descriptor !== undefined && typeof descriptor.value === 'function') {
    descriptor.value = wrapMethod(
      prepared,
      descriptor.value as Method,
      String(context),
      typeof value === 'function',
    );
    return descriptor;
  }
  return descriptor;
}

function wrapMethod(prepared: Prepared, original: Method, methodName: string, isStatic: boolean): Method {
  function captured(this: unknown, ...args: unknown[]): unknown {
    const parent = storage.getStore();
    if (!recordsChildren(parent)) return original.apply(this, args);
    return applyInSpan(
      prepared.start(parent, qualifiedName(this, methodName, isStatic), captured),
      parent,
      original,
      this,
      args,
    );
  }
  Object.defineProperty(captured, 'name', { value: original.name });
  Object.defineProperty(captured, 'length', { value: original.length });
  return captured;
}

/** `Class.method`, the default span name (as the Python agent names spans after the function). */
function qualifiedName(self: unknown, methodName: string, isStatic: boolean): string {
  try {
    const owner = isStatic
      ? (self as { name?: unknown }).name
      : (self as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof owner === 'string' && owner !== '' ? `${owner}.${methodName}` : methodName;
  } catch {
    return methodName;
  }
}
