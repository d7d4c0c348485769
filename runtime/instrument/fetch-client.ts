// Outgoing requests of global fetch (Node's bundled undici) and of the undici package, from undici's
// diagnostics channels. `undici:request:create` fires before anything is sent and `addHeader` works
// there on every supported Node, so fetch always propagates the trace.

import type { Span } from '../span.js';
import { activeInstrumentation, isIntakeHost } from './active-client.js';
import { finishOutgoingCall, startOutgoingCall } from './exit-span.js';

export const FETCH_CHANNELS = {
  create: 'undici:request:create',
  headers: 'undici:request:headers',
  error: 'undici:request:error',
} as const;

/** The part of undici's request object used here (stable across undici 5-7). */
interface UndiciRequest {
  origin: string | URL;
  method: string;
  path: string;
  /** undici 6+: flat [name, value, ...] array; undici 5: a `name: value\r\n` string. */
  headers: string[] | string;
  addHeader(name: string, value: string): unknown;
}

const spans = new WeakMap<UndiciRequest, Span>();

export function onUndiciRequestCreate(message: unknown): void {
  const info = activeInstrumentation();
  if (info === undefined) return;
  const request = (message as { request: UndiciRequest }).request;
  let url: URL;
  try {
    url = new URL(request.path, String(request.origin));
  } catch {
    return;
  }
  if (isIntakeHost(info, url.host)) return;
  const call = startOutgoingCall(request.method, url);
  if (call.span !== undefined) spans.set(request, call.span);
  if (call.headers !== undefined && !hasHeader(request.headers, 'traceparent')) {
    request.addHeader('traceparent', call.headers.traceparent);
    if (call.headers.tracestate !== undefined) request.addHeader('tracestate', call.headers.tracestate);
  }
}

export function onUndiciRequestHeaders(message: unknown): void {
  const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
  const span = spans.get(request);
  if (span !== undefined) finishOutgoingCall(span, response.statusCode);
}

export function onUndiciRequestError(message: unknown): void {
  const span = spans.get((message as { request: UndiciRequest }).request);
  if (span !== undefined) finishOutgoingCall(span, undefined);
}

function hasHeader(headers: string[] | string, name: string): boolean {
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === name) return true;
    return false;
  }
  return typeof headers === 'string' && new RegExp(`(^|\\r\\n)${name}:`, 'i').test(headers);
}
