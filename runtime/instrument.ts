// instrument(): automatic tracing from what Node publishes on node:diagnostics_channel. Nothing of
// Node or of any library is replaced; the subscribers only read, start and end transactions and
// spans, and add trace headers through the request objects' own public methods.
//
// Covered (see README "instrument()" for the per-version table):
// - incoming node:http / node:https requests: a `request` transaction each;
// - outgoing node:http / node:https requests: an external/http exit span each, with traceparent and
//   tracestate injected where Node publishes `http.client.request.created` (22.12+, 23.2+, 24+);
// - global fetch and the undici package: an external/http exit span each, headers injected everywhere;
// - errors that escape as uncaught exceptions or unhandled rejections: reported (handled: false).
import { getClient } from './api.js';
import {
  FETCH_CHANNELS,
  onUndiciRequestCreate,
  onUndiciRequestError,
  onUndiciRequestHeaders,
} from './instrument/fetch-client.js';
import {
  HTTP_CLIENT_CHANNELS,
  onClientRequestCreated,
  onClientRequestError,
  onClientRequestStart,
  onClientResponseFinish,
} from './instrument/http-client.js';
import {
  HTTP_SERVER_CHANNELS,
  onServerRequestStart,
  onServerResponseFinish,
} from './instrument/http-server.js';
import { onUncaughtException } from './instrument/uncaught-errors.js';
import { nodeDiagnosticsChannel } from './lazy-builtins.js';

// One set of subscribers per process, even when the runtime is bundled twice: the subscribers of the
// first copy read the shared client, so a second copy has nothing to add.
const INSTALLED = Symbol.for('apm-weaver.instrument.v1');
const registry = globalThis as { [INSTALLED]?: boolean };

/**
 * Subscribes to Node's HTTP server and client channels, undici's (global fetch) channels, and
 * 'uncaughtExceptionMonitor'. Idempotent; returns true once the subscribers are in place. With no
 * active client each subscriber returns at once.
 */
export function instrument(): boolean {
  if (registry[INSTALLED] === true) return true;
  try {
    // Loaded here, not at import: an app that never calls instrument() does not pay for it.
    const { subscribe } = nodeDiagnosticsChannel();
    subscribe(HTTP_SERVER_CHANNELS.requestStart, safely(onServerRequestStart));
    subscribe(HTTP_SERVER_CHANNELS.responseFinish, safely(onServerResponseFinish));
    subscribe(HTTP_CLIENT_CHANNELS.created, safely(onClientRequestCreated));
    subscribe(HTTP_CLIENT_CHANNELS.start, safely(onClientRequestStart));
    subscribe(HTTP_CLIENT_CHANNELS.error, safely(onClientRequestError));
    subscribe(HTTP_CLIENT_CHANNELS.responseFinish, safely(onClientResponseFinish));
    subscribe(FETCH_CHANNELS.create, safely(onUndiciRequestCreate));
    subscribe(FETCH_CHANNELS.headers, safely(onUndiciRequestHeaders));
    subscribe(FETCH_CHANNELS.error, safely(onUndiciRequestError));
    process.on('uncaughtExceptionMonitor', safely(onUncaughtException));
    registry[INSTALLED] = true;
    return true;
  } catch {
    return false;
  }
}

/**
 * Node reports an exception thrown by a channel subscriber as an uncaught exception of the app;
 * ours must never throw, so a failure is logged (debug) and swallowed.
 */
function safely<A extends unknown[]>(subscriber: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      subscriber(...args);
    } catch (error) {
      try {
        getClient()?.logger.debug(`instrument(): ${subscriber.name} failed: ${String(error)}`);
      } catch {
        // A broken logger must not escape either.
      }
    }
  };
}
