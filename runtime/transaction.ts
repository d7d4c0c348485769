// A transaction: the root of the work done in this service for one request or job.
import { durationMs, epochMicros, nowMs } from './clock.js';
import type { AgentConfig, Logger } from './config-types.js';
import { shared } from './context.js';
import { spanId, traceId } from './ids.js';
import { type Labels, truncate } from './limits.js';
import type { REPORT_PLAIN_SPAN_V1, SendPlainSpan } from './span-event.js';
import { rootTracestate, type TraceParent } from './trace-parent.js';
import type { EventKind } from './transport/transport.js';

export type Outcome = 'success' | 'failure' | 'unknown';
export interface Link {
  trace_id: string;
  span_id: string;
}

/** The part of the Client a transaction or span needs: kept minimal so a second runtime copy interoperates. */
export interface Reporter {
  readonly config: AgentConfig;
  readonly logger: Logger;
  report(kind: EventKind, event: object): void;
  /** The fast path of plain spans (span-event.ts); reporters without it get every span as a SpanEvent. */
  [REPORT_PLAIN_SPAN_V1]?: SendPlainSpan;
}

/** `context` of transaction and error events (intake v2 names). instrument() adds request and response. */
export interface EventContext {
  custom?: Record<string, unknown>;
  user?: { id?: string | number; username?: string; email?: string };
  tags?: Labels;
  request?: object;
  response?: object;
  [key: string]: unknown;
}

export class Transaction {
  /** Self reference: a span's and a transaction's `transaction` read alike on the hot path. */
  readonly transaction: Transaction = this;
  /** Transactions never are leaves; spans may be. */
  readonly leaf = false;
  readonly id = spanId();
  readonly traceId: string;
  /** The calling span's id when the trace was continued from a traceparent. */
  readonly parentId: string | undefined;
  readonly sampled: boolean;
  readonly sampleRate: number | undefined;
  readonly tracestate: string | undefined;
  readonly startMs: number;
  /** transactionMaxSpans, read once when the transaction starts. */
  readonly maxSpans: number;
  /** True while new child spans are recorded: sampled and not ended. */
  recording: boolean;
  ended = false;
  name: string | undefined = undefined;
  result: string | undefined = undefined;
  /** Set by the user or by instrumentation; otherwise decided at the end. */
  outcome: Outcome | undefined = undefined;
  errorCaptured = false;
  /** Spans reported (wire name span_count.started) and dropped. */
  started = 0;
  dropped = 0;
  context: EventContext | undefined = undefined;
  links: Link[] | undefined;

  constructor(
    readonly reporter: Reporter,
    public type: string,
    traceParent: TraceParent | undefined,
    links: Link[] | undefined,
    startMs: number = nowMs(),
  ) {
    const config = reporter.config;
    this.startMs = startMs;
    this.maxSpans = config.transactionMaxSpans;
    this.links = links;
    if (traceParent) {
      // Continue the caller's trace and follow its sampling decision.
      this.traceId = traceParent.traceId;
      this.parentId = traceParent.spanId;
      this.sampled = traceParent.sampled;
      this.tracestate = traceParent.tracestate;
      this.sampleRate = this.sampled ? traceParent.sampleRate : 0;
    } else {
      const rate = config.transactionSampleRate;
      this.traceId = traceId();
      this.parentId = undefined;
      this.sampled = rate >= 1 || (rate > 0 && Math.random() < rate);
      this.sampleRate = this.sampled ? rate : 0;
      this.tracestate = rootTracestate(this.sampleRate);
    }
    this.recording = this.sampled;
    if (this.sampled) shared.recordingTransactions++;
  }

  /** The `traceparent` header for calls made with this transaction current. */
  traceParentHeader(): string {
    return `00-${this.traceId}-${this.id}-${this.sampled ? '01' : '00'}`;
  }

  /** Mutable event context, created on first use. */
  ensureContext(): EventContext {
    if (this.context === undefined) this.context = {};
    return this.context;
  }

  /** Ends and reports the transaction; later calls do nothing. */
  end(endMs: number = nowMs()): void {
    if (this.ended) return;
    this.ended = true;
    if (this.recording) shared.recordingTransactions--;
    this.recording = false;
    this.reporter.report('transaction', this.toEvent(endMs));
  }

  private toEvent(endMs: number): object {
    const sampled = this.sampled;
    return {
      id: this.id,
      trace_id: this.traceId,
      parent_id: this.parentId,
      name: truncate(this.name || 'unnamed'),
      type: truncate(this.type || 'custom'),
      result: this.result === undefined ? undefined : truncate(this.result),
      outcome: this.outcome ?? (this.errorCaptured ? 'failure' : 'success'),
      timestamp: epochMicros(this.startMs),
      duration: durationMs(this.startMs, endMs),
      sampled,
      sample_rate: this.sampleRate,
      span_count: { started: this.started, dropped: this.dropped },
      // Unsampled transactions carry no context (AGENT-RULES section 5).
      context: sampled && this.context !== undefined ? this.context : undefined,
      links: this.links,
    };
  }
}
