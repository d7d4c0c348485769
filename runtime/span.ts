// A span: one timed operation inside a transaction. Kept small and monomorphic: every woven call in a
// sampled transaction allocates one, so fields are few and all initialised in the constructor.
import { durationMs, epochMicros, nowMs } from './clock.js';
import type { Segment } from './context.js';
import { spanId } from './ids.js';
import type { Labels } from './limits.js';
import { SpanEvent } from './span-event.js';
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

export class Span {
  readonly id = spanId();
  readonly transaction: Transaction;
  readonly parentId: string;
  readonly startMs: number;
  outcome: Outcome | undefined = undefined;
  ended = false;
  /** Extra context (labels as `tags`, http, destination, ...); shared with the spec when never mutated. */
  context: SpanContext | undefined;
  links: Link[] | undefined = undefined;
  /** Set by captureSpan; woven spans have none (their name already says where they are). */
  callSite: SpanCallSite | undefined = undefined;

  constructor(
    parent: Segment,
    public name: string,
    public type: string,
    public subtype: string | undefined,
    public action: string | undefined,
    /** Spans started while a leaf span is current are not recorded. */
    readonly leaf: boolean,
    context: SpanContext | undefined,
  ) {
    this.transaction = parent.transaction;
    this.parentId = parent.id;
    this.context = context;
    this.startMs = nowMs();
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
    transaction.reporter.report(
      'span',
      new SpanEvent(
        this.id,
        transaction.id,
        this.parentId,
        transaction.traceId,
        this.name,
        this.type,
        this.subtype,
        this.action,
        epochMicros(this.startMs),
        durationMs(this.startMs, endMs),
        this.outcome ?? 'success',
        transaction.sampleRate,
        this.context,
        this.links,
        callSite !== undefined && endMs - this.startMs >= callSite.minDuration
          ? parseStack(callSite.stack, callSite.skip)
          : undefined,
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
