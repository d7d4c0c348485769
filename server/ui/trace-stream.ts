// Server-Sent Events for the page: tells open pages which traces changed, coalesced so that a
// burst of events costs one message, not one per event. Pages then fetch what they show.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TraceStore } from '../waterfall/index.js';

export interface TraceStreamOptions {
  /** Changes within this window go out as one message (default 150 ms). */
  coalesceMs?: number;
  /** Comment lines that keep idle connections open through proxies (default 15 s). */
  heartbeatMs?: number;
  /** Open streams allowed at once; more get 503 (default 32). */
  maxClients?: number;
}

export class TraceStream {
  readonly #clients = new Set<ServerResponse>();
  readonly #changed = new Set<string>();
  readonly #coalesceMs: number;
  readonly #maxClients: number;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #unsubscribe: () => void;
  #flushTimer: NodeJS.Timeout | undefined;

  constructor(store: TraceStore, options: TraceStreamOptions = {}) {
    this.#coalesceMs = Math.max(0, options.coalesceMs ?? 150);
    this.#maxClients = Math.max(1, options.maxClients ?? 32);
    this.#heartbeat = setInterval(() => this.#broadcast(': ping\n\n'), options.heartbeatMs ?? 15_000);
    this.#heartbeat.unref();
    this.#unsubscribe = store.subscribe((trace) => this.#noteChange(trace.traceId));
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  accept(req: IncomingMessage, res: ServerResponse): void {
    if (this.#clients.size >= this.#maxClients) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
      res.end('{"error":"too many open pages"}\n');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    // The retry hint makes a page reconnect quickly after `serve` restarts.
    res.write('retry: 1000\n\n');
    this.#clients.add(res);
    const drop = () => this.#clients.delete(res);
    req.on('close', drop);
    res.on('close', drop);
    res.on('error', drop);
  }

  close(): void {
    this.#unsubscribe();
    clearInterval(this.#heartbeat);
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #noteChange(traceId: string): void {
    this.#changed.add(traceId);
    if (this.#flushTimer || this.#clients.size === 0) {
      if (this.#clients.size === 0) this.#changed.clear();
      return;
    }
    this.#flushTimer = setTimeout(() => this.#flush(), this.#coalesceMs);
    this.#flushTimer.unref();
  }

  #flush(): void {
    this.#flushTimer = undefined;
    // JSON never contains a raw newline, so ids cannot break out of the `data:` line.
    const message = `event: traces\ndata: ${JSON.stringify([...this.#changed].slice(0, 200))}\n\n`;
    this.#changed.clear();
    this.#broadcast(message);
  }

  #broadcast(message: string): void {
    for (const client of this.#clients) {
      if (!client.writableEnded) client.write(message);
    }
  }
}
