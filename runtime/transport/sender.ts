// The sender for a resolved endpoint: the transport worker, or the in-thread HttpTransport. This module and what it
// imports (the worker transport's application half, HttpTransport with gzip, retries, metadata and container info)
// is what runtime/transport/deferred-transport.ts loads with the first event, so a process pays for it only once it
// sends; the shipped package has it as its own file, dist/apm-weaver-transport.js (scripts/bundle-runtime.js).
import type { AgentConfig, Logger } from '../config-types.js';
import type { IntakeEndpoint } from './endpoint.js';
import { HttpTransport, type HttpTransportOptions } from './http-transport.js';
import type { Transport } from './transport.js';
import { WorkerTransport } from './worker-transport.js';

export interface CreateTransportOptions extends HttpTransportOptions {
  /** The transport worker's entry file (default: apm-weaver-transport-worker.js next to the runtime's module). */
  workerFile?: URL;
}

/**
 * Streams events to the endpoint (intake v2, gzip NDJSON) from a worker thread unless `config.transportThread` is
 * 'main', or 'auto' on a single CPU, or the worker cannot start (then from this thread). The endpoint's problems were
 * reported when it was resolved. `options` are tuning knobs (shorter backoff in tests), not user configuration.
 */
export function createSender(
  config: AgentConfig,
  logger: Logger,
  endpoint: IntakeEndpoint,
  options?: CreateTransportOptions,
): Transport {
  const { workerFile, ...httpOptions } = options ?? {};
  if (config.transportThread === 'main') return new HttpTransport(config, logger, endpoint, httpOptions);
  return new WorkerTransport(config, logger, endpoint, workerFile, httpOptions);
}
