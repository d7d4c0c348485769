// A local HTTP server that speaks intake v2 as APM Server does: for tests, the demo and
// `apm-weaver serve`. It validates every line, keeps a bounded window of events and lets callers
// subscribe. Hostile input is answered with 400 and never takes it down.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { EventStore, type IntakeEvent, type IntakeEventListener } from './event-store.js';
import {
  handleIntakeRequest,
  type IntakeLimits,
  type IntakeRequestRecord,
  type IntakeStats,
} from './intake-request-handler.js';

export type { IntakeEvent, IntakeEventListener, IntakeRequestRecord, IntakeStats };

export interface IntakeServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the intake is for this machine unless asked otherwise. */
  host?: string;
  /** Events kept for events()/waitForEvents (default 10 000); older ones are forgotten. */
  maxEvents?: number;
  /** Longest accepted NDJSON line in bytes (default 300 KiB, as APM Server). */
  maxEventSize?: number;
  /** When set, requests must carry `Bearer <secretToken>` (or the API key) or get 401. */
  secretToken?: string;
  /** When set, requests must carry `ApiKey <apiKey>` (or the secret token) or get 401. */
  apiKey?: string;
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Requests outside the intake endpoints; return true when handled (the serve page uses this). */
  handleOther?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface IntakeServer {
  /** http(s)://host:port, no trailing slash: what a client's serverUrl should be. */
  url: string;
  port: number;
  /** The kept events, oldest first (a copy). */
  events(): IntakeEvent[];
  /** Called for every accepted event; returns the unsubscribe function. */
  subscribe(listener: IntakeEventListener): () => void;
  /** Resolves with events() once the predicate holds; rejects after timeoutMs (default 5000). */
  waitForEvents(predicate: (events: IntakeEvent[]) => boolean, timeoutMs?: number): Promise<IntakeEvent[]>;
  /** The newest intake requests (bounded), with headers, status (0 while still being read) and line types. */
  requests(): IntakeRequestRecord[];
  readonly stats: IntakeStats;
  close(): Promise<void>;
}

const INTAKE_PATH = '/intake/v2/events';
const MAX_REQUEST_RECORDS = 1000;
// What APM Server answers on GET /: agents (elastic-apm-node among them) read the version from it.
const SERVER_INFO = {
  build_date: '2024-01-01T00:00:00Z',
  build_sha: 'apm-weaver-local-intake',
  publish_ready: true,
  version: '8.15.0',
};

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}

export async function startIntakeServer(options: IntakeServerOptions = {}): Promise<IntakeServer> {
  const store = new EventStore(Math.max(1, options.maxEvents ?? 10_000));
  const stats: IntakeStats = { requests: 0, accepted: 0, rejected: 0 };
  const limits: IntakeLimits = { maxEventSize: options.maxEventSize ?? 300 * 1024, maxReportedErrors: 100 };
  if (options.secretToken) limits.secretToken = options.secretToken;
  if (options.apiKey) limits.apiKey = options.apiKey;
  let records: IntakeRequestRecord[] = [];

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      const path = pathOf(req.url);
      if (path === INTAKE_PATH) {
        const track = (record: IntakeRequestRecord): void => {
          records.push(record);
          if (records.length > MAX_REQUEST_RECORDS * 2) records = records.slice(-MAX_REQUEST_RECORDS);
        };
        handleIntakeRequest(req, res, limits, store, stats, track).catch(() => res.destroy());
        return;
      }
      if (options.handleOther?.(req, res)) return;
      if (path === '/' && req.method === 'GET') {
        sendJson(res, 200, SERVER_INFO);
      } else if (path === '/config/v1/agents') {
        // Central configuration: nothing configured here, which agents read as "keep your settings".
        sendJson(res, 200, {});
      } else {
        sendJson(res, 404, { error: `404 page not found: ${path}` });
      }
      req.resume();
    } catch {
      res.destroy();
    }
  };

  const server: Server = options.tls ? createTlsServer(options.tls, onRequest) : createServer(onRequest);
  // APM Server keeps idle connections for 45 s; agents re-use theirs between requests.
  server.keepAliveTimeout = 45_000;
  server.on('clientError', (_error, socket) => {
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${address.port}`,
    port: address.port,
    events: () => store.events(),
    subscribe: (listener) => store.subscribe(listener),
    waitForEvents: (predicate, timeoutMs = 5000) => store.waitFor(predicate, timeoutMs),
    requests: () => records.slice(-MAX_REQUEST_RECORDS),
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
