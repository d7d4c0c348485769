// The public runtime API of `apm-weaver`: every name is listed explicitly (test/runtime/public-api.test.ts).
export {
  beginTransaction,
  captureException,
  captureMessage,
  endTransaction,
  getClient,
  getSpanId,
  getTraceId,
  getTraceParentHeader,
  getTransactionId,
  label,
  OUTCOME,
  type OverrideOption,
  setCustomContext,
  setTransactionName,
  setTransactionOutcome,
  setTransactionResult,
  setUserContext,
  type UserContext,
} from './api.js';
export { asyncCaptureSpan, type CaptureSpanOptions, captureSpan, type SpanHandle } from './capture-span.js';
export {
  type BeginTransactionOptions,
  type CaptureExceptionOptions,
  type CaptureMessageOptions,
  Client,
  type LinkLike,
} from './client.js';
export type { ClientOptions } from './config.js';
export type { AgentConfig, Logger, LogLevel } from './config-types.js';
export { instrument } from './instrument.js';
export { MemoryTransport, type RecordedEvent } from './memory-transport.js';
export type { Span } from './span.js';
export {
  type HeadersLike,
  TraceParent,
  traceParentFromHeaders,
  traceParentFromString,
} from './trace-parent.js';
export type { Outcome, Transaction } from './transaction.js';
export type { EventKind, Transport, TransportStats } from './transport/transport.js';
export { AGENT_NAME, AGENT_VERSION } from './version.js';
export {
  type DefineSpanOptions,
  defineSpan,
  WovenSpanSpec,
  wovenAsyncGenerator,
  wovenCall,
  wovenGenerator,
} from './woven.js';
export {
  wovenAsyncCall,
  wovenAsyncEnd,
  wovenAsyncFail,
  wovenAsyncRun,
  wovenAsyncStart,
} from './woven-async.js';
