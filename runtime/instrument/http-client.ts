// Outgoing node:http / node:https requests, from Node's own diagnostics channels.
//
// Where the exit span starts depends on what the running Node publishes:
// - `http.client.request.created` (Node 22.12+, 23.2+, 24): in the ClientRequest constructor, before
//   the headers are built, so `setHeader('traceparent', ...)` reaches the callee.
// - `http.client.request.start` (every supported Node): on Node 20 it fires after the header block
//   was built, so the span is recorded there but no header can be added any more.
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Span } from '../span.js';
import { activeInstrumentation, isIntakeHost } from './active-client.js';
import { finishOutgoingCall, startOutgoingCall } from './exit-span.js';

export const HTTP_CLIENT_CHANNELS = {
  created: 'http.client.request.created',
  start: 'http.client.request.start',
  error: 'http.client.request.error',
  responseFinish: 'http.client.response.finish',
} as const;

/**
 * Whether this Node publishes `http.client.request.created`, where trace headers can still be added
 * to a node:http request: 22.12+ in the 22 line, 23.2+, and every later major.
 */
export function nodeHttpClientPropagates(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major >= 24 || (major === 23 && minor >= 2) || (major === 22 && minor >= 12);
}

/** Requests already seen (span or not), so `start` does not redo what `created` did. */
const seen = new WeakMap<ClientRequest, Span | null>();

export function onClientRequestCreated(message: unknown): void {
  track((message as { request: ClientRequest }).request);
}

export function onClientRequestStart(message: unknown): void {
  const request = (message as { request: ClientRequest }).request;
  if (!seen.has(request)) track(request);
}

function track(request: ClientRequest): void {
  const info = activeInstrumentation();
  if (info === undefined) return;
  const host = hostOf(request);
  if (isIntakeHost(info, host)) {
    seen.set(request, null);
    return;
  }
  const url = requestUrl(request, host);
  if (url === undefined) return;
  const call = startOutgoingCall(request.method, url);
  seen.set(request, call.span ?? null);
  if (call.headers !== undefined && !request.headersSent && request.getHeader('traceparent') === undefined) {
    request.setHeader('traceparent', call.headers.traceparent);
    if (call.headers.tracestate !== undefined) request.setHeader('tracestate', call.headers.tracestate);
  }
}

export function onClientResponseFinish(message: unknown): void {
  const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
  const span = seen.get(request);
  if (span) finishOutgoingCall(span, response.statusCode);
}

export function onClientRequestError(message: unknown): void {
  const span = seen.get((message as { request: ClientRequest }).request);
  if (span) finishOutgoingCall(span, undefined);
}

/** The Host header Node computed (it carries a non-default port), else the bare host. */
function hostOf(request: ClientRequest): string | undefined {
  const header = request.getHeader('host');
  if (typeof header === 'string' && header !== '') return header;
  return typeof request.host === 'string' ? request.host : undefined;
}

function requestUrl(request: ClientRequest, host: string | undefined): URL | undefined {
  try {
    return new URL(request.path, `${request.protocol || 'http:'}//${host ?? 'localhost'}`);
  } catch {
    return undefined;
  }
}
