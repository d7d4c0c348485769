// Incoming node:http / node:https requests (and so every framework built on them): one transaction
// per request from `http.server.request.start`, ended at `http.server.response.finish` (or when the
// connection closes first).
//
// The start channel is published synchronously right before the server emits 'request', so making
// the transaction current there (AsyncLocalStorage.enterWith) makes it current in the handler and in
// everything the handler awaits or schedules; keep-context.ts covers the request's and response's
// event listeners.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { currentSegment, enterSegment } from '../context.js';
import { truncate } from '../limits.js';
import { traceParentFromHeaders } from '../trace-parent.js';
import type { Transaction } from '../transaction.js';
import { activeInstrumentation, type Instrumentation, isIntakeHost } from './active-client.js';
import { httpResult, serverOutcome } from './http-status.js';
import { keepSegmentInListeners } from './keep-context.js';
import { parseCookies, sanitizeHeaders } from './sanitize.js';
import { incomingRequestUrl } from './url.js';

export const HTTP_SERVER_CHANNELS = {
  requestStart: 'http.server.request.start',
  responseFinish: 'http.server.response.finish',
} as const;

interface ServerMessage {
  request: IncomingMessage;
  response: ServerResponse;
  socket: Socket;
}

const transactions = new WeakMap<ServerResponse, { transaction: Transaction; info: Instrumentation }>();

export function onServerRequestStart(message: unknown): void {
  const { request, response, socket } = message as ServerMessage;
  const info = activeInstrumentation();
  const transaction =
    info === undefined || isIntakeHost(info, request.headers.host)
      ? undefined
      : info.client.startTransaction('request', { traceParent: traceParentFromHeaders(request.headers) });
  if (transaction === undefined || info === undefined) {
    // A keep-alive socket may still carry the previous request's transaction: this one has none.
    if (currentSegment() !== undefined) enterSegment(undefined);
    return;
  }
  if (transaction.sampled) transaction.ensureContext().request = requestContext(request, socket, info);
  transactions.set(response, { transaction, info });
  enterSegment(transaction);
  keepSegmentInListeners(request, transaction);
  keepSegmentInListeners(response, transaction);
  // A connection closed before the response finished still ends the transaction.
  response.once('close', () => {
    try {
      endTransaction(request, response);
    } catch (error) {
      info.client.logger.debug(`instrument(): ending the request transaction failed: ${String(error)}`);
    }
  });
}

export function onServerResponseFinish(message: unknown): void {
  const { request, response } = message as ServerMessage;
  endTransaction(request, response);
}

function endTransaction(request: IncomingMessage, response: ServerResponse): void {
  const entry = transactions.get(response);
  if (entry === undefined) return;
  transactions.delete(response);
  const { transaction, info } = entry;
  if (transaction.ended) return;
  if (!transaction.name) transaction.name = truncate(defaultName(request, info));
  // The status is known once headers went out; a connection lost before that has none.
  const status = response.headersSent ? response.statusCode : undefined;
  if (status !== undefined && transaction.result === undefined) transaction.result = httpResult(status);
  if (status !== undefined && transaction.outcome === undefined) transaction.outcome = serverOutcome(status);
  if (transaction.sampled) transaction.ensureContext().response = responseContext(response, info);
  transaction.end();
}

/** `<METHOD> unknown route` (no router tells us the route), or `<METHOD> <path>` when configured. */
function defaultName(request: IncomingMessage, info: Instrumentation): string {
  const method = request.method ?? 'GET';
  if (!info.usePathAsTransactionName) return `${method} unknown route`;
  const target = request.url ?? '/';
  const query = target.indexOf('?');
  return `${method} ${query < 0 ? target : target.slice(0, query)}`;
}

function requestContext(request: IncomingMessage, socket: Socket, info: Instrumentation): object {
  const encrypted = (socket as TLSSocket).encrypted === true;
  const context: Record<string, unknown> = {
    method: truncate(request.method ?? 'GET'),
    http_version: request.httpVersion,
    socket: { remote_address: socket.remoteAddress },
  };
  const url = incomingRequestUrl(request.url ?? '/', request.headers.host, encrypted);
  if (url !== undefined) context.url = url;
  if (info.captureHeaders) {
    context.headers = sanitizeHeaders(request.headers, info.sanitize);
    const cookie = request.headers.cookie;
    if (cookie !== undefined) context.cookies = parseCookies(cookie, info.sanitize);
  }
  return context;
}

function responseContext(response: ServerResponse, info: Instrumentation): object {
  const context: Record<string, unknown> = {
    status_code: response.statusCode,
    finished: response.writableFinished,
    headers_sent: response.headersSent,
  };
  if (info.captureHeaders) {
    context.headers = sanitizeHeaders(
      response.getHeaders() as Record<string, string | string[] | number>,
      info.sanitize,
    );
  }
  return context;
}
