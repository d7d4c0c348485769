// The data model of assembled traces, shared by the terminal renderer and the web page's JSON API.

/** One event as the intake delivers it (structurally the intake server's IntakeEvent). */
export interface TraceEventInput {
  kind: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  receivedAt: number;
}

export interface StackFrame {
  function?: string;
  file?: string;
  line?: number;
  column?: number;
  library: boolean;
}

/** A transaction or a span, reduced to what a waterfall shows. */
export interface TraceItem {
  kind: 'transaction' | 'span';
  id: string;
  parentId?: string;
  transactionId?: string;
  name: string;
  /** `type`, or `type.subtype.action` when the span sends them separately. */
  type: string;
  outcome: string;
  result?: string;
  service: string;
  /** Epoch microseconds, when the agent sent `timestamp`. */
  timestampUs?: number;
  /** The span's `start` (ms after its transaction began), used when `timestamp` is missing. */
  relativeStartMs?: number;
  durationMs: number;
  receivedAt: number;
  /** Arrival order inside the trace: breaks ties between items that start together. */
  sequence: number;
}

export interface TraceError {
  id: string;
  parentId?: string;
  transactionId?: string;
  service: string;
  timestampUs: number;
  /** Exception type (or the log level for a captured message). */
  type: string;
  message: string;
  culprit?: string;
  handled?: boolean;
  frames: StackFrame[];
}

/** Everything received for one trace id (or one error sent without a trace). */
export interface Trace {
  traceId: string;
  items: Map<string, TraceItem>;
  errors: TraceError[];
  firstReceivedAt: number;
  lastReceivedAt: number;
  /** Events refused because the trace reached its item limit. */
  droppedEvents: number;
  /** Increases on every change; lets clients skip unchanged traces. */
  version: number;
}

export interface ServiceSummary {
  name: string;
  environment?: string;
  agent?: string;
  language?: string;
  transactions: number;
  spans: number;
  errors: number;
  metricsets: number;
  logs: number;
  lastSeenAt: number;
}
