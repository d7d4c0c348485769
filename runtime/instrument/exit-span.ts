// The exit span of one outgoing HTTP request (node:http or fetch): type external, subtype http,
// name `<METHOD> <host>`, context.http with the URL's credentials redacted, destination and
// service.target (AGENT-RULES sections 7-8), and the trace headers the callee continues from.
import { currentSegment, type Segment } from '../context.js';
import type { Span, SpanContext } from '../span.js';
import { startSpan } from '../span-run.js';
import { clientOutcome } from './http-status.js';
import { inferResource, inferServiceTarget } from './service-target.js';
import { effectivePort, redactUserinfo } from './url.js';

export interface OutgoingCall {
  /** The span, when the caller's transaction is sampled and recording. */
  span: Span | undefined;
  /** `traceparent` and `tracestate` to send; undefined when no transaction is current. */
  headers: { traceparent: string; tracestate?: string } | undefined;
}

/** Starts the exit span for a request made now (in the caller's async context). */
export function startOutgoingCall(method: string, url: URL): OutgoingCall {
  const parent = currentSegment();
  if (parent === undefined) return { span: undefined, headers: undefined };
  const span = startSpan(parent, `${method} ${url.host}`, 'external', {
    subtype: 'http',
    leaf: true,
    context: exitContext(method, url),
  });
  return { span, headers: propagation(parent, span) };
}

/** The callee's parent is the exit span; with no span (unsampled, or under a leaf) the current segment. */
function propagation(parent: Segment, span: Span | undefined): OutgoingCall['headers'] {
  const traceparent = (span ?? parent).traceParentHeader();
  const tracestate = parent.transaction.tracestate;
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

function exitContext(method: string, url: URL): SpanContext {
  const context: SpanContext = { http: { method, url: redactUserinfo(url.href) } };
  const facts = { exit: true, type: 'external', subtype: 'http', context };
  const target = inferServiceTarget(facts);
  const resource = inferResource(facts, target);
  const port = effectivePort(url);
  context.destination = { address: url.hostname.replace(/^\[|\]$/g, '') };
  if (port !== undefined) context.destination.port = port;
  if (resource !== undefined) context.destination.service = { resource };
  if (target !== undefined) context.service = { target };
  return context;
}

/** Ends the exit span with the response status (undefined: no response, a failure). */
export function finishOutgoingCall(span: Span, status: number | undefined): void {
  if (span.ended) return;
  if (status !== undefined && span.context?.http !== undefined) span.context.http.status_code = status;
  if (span.outcome === undefined) span.outcome = clientOutcome(status);
  span.end();
}
