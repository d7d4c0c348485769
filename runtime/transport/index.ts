// The transport's public face: one factory that resolves the endpoint and picks the sender, as the Client did before
// it deferred loading the sender (runtime/transport/deferred-transport.ts); transport tests and tools use it.
import type { AgentConfig, Logger } from '../config-types.js';
import { DiscardingTransport, endpointOrDiscarding } from './discarding-transport.js';
import type { HttpTransportOptions } from './http-transport.js';
import { type CreateTransportOptions, createSender } from './sender.js';
import type { EventKind, Transport, TransportStats } from './transport.js';
import { TRANSPORT_WORKER_FILE } from './worker-launch.js';

export type { CreateTransportOptions, EventKind, HttpTransportOptions, Transport, TransportStats };
export { createSender, TRANSPORT_WORKER_FILE };

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
  const endpoint = endpointOrDiscarding(config, logger);
  return endpoint instanceof DiscardingTransport ? endpoint : createSender(config, logger, endpoint, options);
}
