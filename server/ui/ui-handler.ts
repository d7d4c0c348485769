// The page and its JSON API, served beside the intake on the same port. Returns false for
// requests it does not own so the intake can answer them as APM Server would.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildWaterfall, type Trace, type TraceStore, type Waterfall } from '../waterfall/index.js';
import { PAGE_CSP, PAGE_HTML } from './page.js';
import type { TraceStream } from './trace-stream.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** A trace as the list shows it: the waterfall without its rows. */
export type TraceSummary = Omit<Waterfall, 'rows' | 'errors'>;

export function summarise(waterfall: Waterfall): TraceSummary {
  const { rows: _rows, errors: _errors, ...summary } = waterfall;
  return summary;
}

/** Open pages re-read the list on every change: summaries are rebuilt only for traces that changed. */
class SummaryCache {
  readonly #cache = new WeakMap<Trace, { version: number; summary: TraceSummary }>();

  get(trace: Trace): TraceSummary {
    const cached = this.#cache.get(trace);
    if (cached && cached.version === trace.version) return cached.summary;
    const summary = summarise(buildWaterfall(trace));
    this.#cache.set(trace, { version: trace.version, summary });
    return summary;
  }
}

const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  res.end(`${JSON.stringify(body)}\n`);
}

function pathOf(req: IncomingMessage): string | undefined {
  try {
    return new URL(req.url ?? '/', 'http://local').pathname;
  } catch {
    return undefined;
  }
}

/** Browsers ask for HTML; agents asking `GET /` for the server version do not, and get the intake's answer. */
function wantsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The hostname of the Host header ("" when missing or malformed). */
function requestedHostname(req: IncomingMessage): string {
  try {
    return new URL(`http://${req.headers.host ?? ''}`).hostname;
  } catch {
    return '';
  }
}

export interface UiHandlerOptions {
  /**
   * Serve the page and API only to requests addressed to a loopback name. Set when bound to
   * loopback: otherwise a web site could point its own DNS name at 127.0.0.1 (DNS rebinding)
   * and read the traces from the visitor's browser.
   */
  loopbackOnly?: boolean;
}

export function createUiHandler(
  store: TraceStore,
  stream: TraceStream,
  options: UiHandlerOptions = {},
): RequestHandler {
  const summaries = new SummaryCache();
  return (req, res) => {
    const path = pathOf(req);
    if (path === undefined) return false;
    const isPage = (path === '/' || path === '/index.html') && (wantsHtml(req) || path === '/index.html');
    const isApi = path === '/api' || path.startsWith('/api/');
    if (!isPage && !isApi) return false;
    if (options.loopbackOnly && !LOOPBACK_HOSTNAMES.has(requestedHostname(req))) {
      sendJson(res, 403, { error: 'the trace page only answers requests addressed to localhost' });
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...COMMON_HEADERS, allow: 'GET, HEAD', 'content-type': 'application/json' });
      res.end('{"error":"method not allowed"}\n');
      return true;
    }
    if (isPage) {
      res.writeHead(200, {
        ...COMMON_HEADERS,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': PAGE_CSP,
        'referrer-policy': 'no-referrer',
      });
      res.end(req.method === 'HEAD' ? undefined : PAGE_HTML);
      return true;
    }
    routeApi(path, req, res, store, stream, summaries);
    return true;
  };
}

function routeApi(
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  store: TraceStore,
  stream: TraceStream,
  summaries: SummaryCache,
): void {
  const tracePrefix = '/api/traces/';
  if (path === '/api/services') {
    sendJson(res, 200, { services: store.services() });
  } else if (path === '/api/traces') {
    sendJson(res, 200, { traces: store.list().map((trace) => summaries.get(trace)) });
  } else if (path === '/api/stream') {
    stream.accept(req, res);
  } else if (path.startsWith(tracePrefix)) {
    sendTrace(res, store, path.slice(tracePrefix.length));
  } else {
    sendJson(res, 404, { error: 'no such API' });
  }
}

function sendTrace(res: ServerResponse, store: TraceStore, encodedId: string): void {
  let traceId: string;
  try {
    traceId = decodeURIComponent(encodedId);
  } catch {
    sendJson(res, 400, { error: 'malformed trace id' });
    return;
  }
  const trace = store.get(traceId);
  if (trace) sendJson(res, 200, { trace: buildWaterfall(trace) });
  else sendJson(res, 404, { error: 'trace not found (never received, or evicted)' });
}
