// A span: one timed operation inside a transaction. Kept small and monomorphic: every woven call in a
// sampled transaction allocates one, and every call in flight holds one (bench/: heap per live span).
import { durationMs, epochMicros, nowMs } from './clock.js';
import type { Segment } from './context.js';
import { poolWords, spanId, spanIdAt, takeSpanId } from './ids.js';
import type { Labels } from './limits.js';
import { REPORT_PLAIN_SPAN_V1, SpanEvent } from './span-event.js';
import { parseStack } from './stack.js';
import type { Link, Outcome, Transaction } from './transaction.js';

/** Span `context` (intake v2 names): labels as `tags`, plus what instrument() adds for exit spans. */
export interface SpanContext {
  tags?: Labels;
  http?: { method?: string; url?: string; status_code?: number };
  destination?: { address?: string; port?: number; service?: { resource: string } };
  service?: { target?: { type?: string; name?: string } };
  db?: { type?: string; instance?: string; statement?: string };
  [key: string]: unknown;
}

/** Where a span was started: V8 formats `stack` only if it is read, so holding it is cheap. */
export interface SpanCallSite {
  stack?: string;
  /** Frames to drop from the top (captureSpan's skipFrames). */
  skip: number;
  /** Only spans at least this long (ms) get a stack trace. */
  minDuration: number;
}

/**
 * What a span is, apart from its timing: shared by every span a woven function starts (its WovenSpanSpec is one),
 * so a span holds one reference instead of six fields. Never mutated: a span that changes one copies it first.
 */
export class SpanKind {
  constructor(
    readonly name: string,
    readonly type: string,
    readonly subtype: string | undefined,
    readonly action: string | undefined,
    /** Spans started while a leaf span is current are not recorded. */
    readonly leaf: boolean,
    /** Extra context (labels as `tags`, http, destination, ...). */
    readonly context: SpanContext | undefined,
  ) {}
}

// Fields are `declare`d and set in the constructor, once each and always in the same order (class fields would be
// defined first and assigned again). Every span in flight holds these, so they are few: the id is made when first
// read (at the latest when the span is reported), and name, type and the rest live in the shared SpanKind.
export class Span {
  declare readonly transaction: Transaction;
  declare readonly parentId: string;
  declare readonly startMs: number;
  declare outcome: Outcome | undefined;
  declare ended: boolean;
  declare links: Link[] | undefined;
  /** Set by captureSpan; woven spans have none (their name already says where they are). */
  declare callSite: SpanCallSite | undefined;
  declare private kind: SpanKind;
  declare private lazyId: string | undefined;

  constructor(parent: Segment, kind: SpanKind) {
    this.lazyId = undefined;
    this.transaction = parent.transaction;
    this.parentId = parent.id;
    this.startMs = nowMs();
    this.outcome = undefined;
    this.ended = false;
    this.kind = kind;
    this.links = undefined;
    this.callSite = undefined;
  }

  get id(): string {
    if (this.lazyId === undefined) this.lazyId = spanId();
    return this.lazyId;
  }

  get name(): string {
    return this.kind.name;
  }
  set name(name: string) {
    const k = this.kind;
    this.kind = new SpanKind(name, k.type, k.subtype, k.action, k.leaf, k.context);
  }

  get type(): string {
    return this.kind.type;
  }
  set type(type: string) {
    const k = this.kind;
    this.kind = new SpanKind(k.name, type, k.subtype, k.action, k.leaf, k.context);
  }

  get subtype(): string | undefined {
    return this.kind.subtype;
  }
  set subtype(subtype: string | undefined) {
    const k = this.kind;
    this.kind = new SpanKind(k.name, k.type, subtype, k.action, k.leaf, k.context);
  }

  get action(): string | undefined {
    return this.kind.action;
  }
  set action(action: string | undefined) {
    const k = this.kind;
    this.kind = new SpanKind(k.name, k.type, k.subtype, action, k.leaf, k.context);
  }

  get leaf(): boolean {
    return this.kind.leaf;
  }

  /** Extra context (labels as `tags`, http, destination, ...); shared with the woven spec until replaced. */
  get context(): SpanContext | undefined {
    return this.kind.context;
  }
  set context(context: SpanContext | undefined) {
    const k = this.kind;
    this.kind = new SpanKind(k.name, k.type, k.subtype, k.action, k.leaf, context);
  }

  get traceId(): string {
    return this.transaction.traceId;
  }

  /** The `traceparent` header for a call this span makes (its id is the callee's parent id). */
  traceParentHeader(): string {
    return `00-${this.transaction.traceId}-${this.id}-01`;
  }

  /** Ends the span; reported unless the transaction hit transactionMaxSpans. Later calls do nothing. */
  end(endMs: number = nowMs()): void {
    if (this.ended) return;
    this.ended = true;
    const transaction = this.transaction;
    if (transaction.maxSpans >= 0 && transaction.started >= transaction.maxSpans) {
      transaction.dropped++;
      return;
    }
    transaction.started++;
    const callSite = this.callSite;
    const stacktrace =
      callSite !== undefined && endMs - this.startMs >= callSite.minDuration
        ? parseStack(callSite.stack, callSite.skip)
        : undefined;
    const kind = this.kind;
    const reporter = transaction.reporter;
    // The id is made here unless it was read before; its characters are then still in the id pool, where the
    // transport worker's record takes them from.
    let id = this.lazyId;
    let idAt = -1;
    if (id === undefined) {
      idAt = takeSpanId();
      id = spanIdAt(idAt);
      this.lazyId = id;
    }
    const outcome = this.outcome ?? 'success';
    const timestamp = epochMicros(this.startMs);
    const duration = durationMs(this.startMs, endMs);
    if (
      stacktrace === undefined &&
      kind.context === undefined &&
      this.links === undefined &&
      reporter[REPORT_PLAIN_SPAN_V1]?.(
        transaction,
        kind,
        id,
        idAt < 0 ? undefined : poolWords,
        idAt,
        this.parentId,
        outcome,
        timestamp,
        duration,
      ) === true
    ) {
      return;
    }
    reporter.report(
      'span',
      new SpanEvent(
        id,
        transaction.id,
        this.parentId,
        transaction.traceId,
        kind.name,
        kind.type,
        kind.subtype,
        kind.action,
        timestamp,
        duration,
        outcome,
        transaction.sampleRate,
        kind.context,
        this.links,
        stacktrace,
      ),
    );
  }
}

/**
 * Splits a dotted `type.subtype.action` (as the Python agent accepts) unless subtype/action are given.
 * Keyword limits are applied by the callers that take user input.
 */
export function splitSpanType(
  type: string | undefined,
  subtype: string | undefined,
  action: string | undefined,
): [string, string | undefined, string | undefined] {
  const t = type || 'code.custom';
  if (subtype === undefined && action === undefined && t.includes('.')) {
    const [main, sub, ...rest] = t.split('.');
    return [main || 'custom', sub || undefined, rest.length > 0 ? rest.join('.') : undefined];
  }
  return [t, subtype, action];
}
