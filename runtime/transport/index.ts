// The transport's public face: the factories that pick the sender. This module and everything it imports (the
// worker transport's application half, the in-thread HttpTransport with gzip, retries and metadata) is what
// runtime/transport/deferred-transport.ts loads with the first event, so a process pays for it only once it sends.
import type { AgentConfig, Logger } from '../config-types.js';
import { DiscardingTransport } from './discarding-transport.js';
import { type IntakeEndpoint, resolveEndpoint } from './endpoint.js';
import { HttpTransport, type HttpTransportOptions } from './http-transport.js';
import type { EventKind, Transport, TransportStats } from './transport.js';
import { TRANSPORT_WORKER_FILE } from './worker-launch.js';
import { WorkerTransport } from './worker-transport.js';

export type { EventKind, HttpTransportOptions, Transport, TransportStats };
export { TRANSPORT_WORKER_FILE };

export interface CreateTransportOptions extends HttpTransportOptions {
  /** The transport worker's entry file (default: apm-weaver-transport-worker.js next to the runtime's module). */
  workerFile?: URL;
}

/**
 * Streams events to `config.serverUrl` + `/intake/v2/events` (intake v2, gzip NDJSON), from a worker thread
 * unless `config.transportThread` is 'main', or 'auto' on a single CPU, or the worker cannot start (then from this
 * thread, as before).
 * Never throws; problems go to the logger once per failure streak.
 * `options` are tuning knobs (shorter backoff in tests), not user configuration.
 */
export function createHttpTransport(
  config: AgentConfig,
  logger: Logger,
  options?: CreateTransportOptions,
): Transport {
  // disable_send: no server communication at all, and no warnings about it (AGENT-RULES §13).
  if (config.disableSend) return new DiscardingTransport(false);
  const endpoint = resolveEndpoint(config, logger);
  if ('problem' in endpoint) {
    logger.error(`events will not be sent: ${endpoint.problem}`);
    return new DiscardingTransport(true);
  }
  return createSender(config, logger, endpoint, options);
}

/** The sender for an endpoint already resolved (and its problems already reported). */
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
