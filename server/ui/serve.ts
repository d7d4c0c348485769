// `apm-weaver serve` as a function: the local intake, the trace store fed by it, the page and its
// API on the same port, and a callback for each finished trace. The CLI and the demo both use it.
import { type IntakeServer, startIntakeServer } from '../intake-server.js';
import { type FinishedTrace, TraceFinisher, TraceStore } from '../waterfall/index.js';
import { TraceStream } from './trace-stream.js';
import { createUiHandler } from './ui-handler.js';

export interface WeaverServerOptions {
  /** 0 picks a free port (default 8200, APM Server's). */
  port?: number;
  /** Default 127.0.0.1: traces can hold request data, so the page is not exposed unless asked. */
  host?: string;
  /** Traces kept for the page (default 100). */
  maxTraces?: number;
  /** Quiet time after which a trace with its root transaction counts as finished (default 1000 ms). */
  quietMs?: number;
  onFinishedTrace?: (finished: FinishedTrace) => void;
}

export interface WeaverServer {
  /** Base URL, e.g. http://127.0.0.1:8200 (the page is at `/`). */
  url: string;
  port: number;
  intake: IntakeServer;
  store: TraceStore;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function startWeaverServer(options: WeaverServerOptions = {}): Promise<WeaverServer> {
  const store = new TraceStore({ maxTraces: options.maxTraces });
  const stream = new TraceStream(store);
  const host = options.host ?? '127.0.0.1';
  const handleUi = createUiHandler(store, stream, { loopbackOnly: isLoopback(host) });
  const intake = await startIntakeServer({
    port: options.port ?? 8200,
    host,
    // The intake's own buffer only needs to cover a burst; the store is what the page reads.
    maxEvents: 1000,
    handleOther: handleUi,
  });
  const unsubscribe = intake.subscribe((event) => store.add(event));
  const onFinished = options.onFinishedTrace;
  const finisher = onFinished
    ? new TraceFinisher(store, { quietMs: options.quietMs, onFinished })
    : undefined;
  return {
    url: intake.url,
    port: intake.port,
    intake,
    store,
    async close() {
      unsubscribe();
      finisher?.close();
      // Open page streams would otherwise keep the HTTP server from closing.
      stream.close();
      await intake.close();
    },
  };
}
