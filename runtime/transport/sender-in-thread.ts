// The sender of the runtime as bundlers get it (dist/apm-weaver-inline.js, scripts/bundle-runtime.js puts this module
// where sender.ts would be). A runtime bundled into an application has no transport worker file beside it (the
// worker is started from a file next to the runtime's module; worker-launch.ts), so there the worker transport
// always fell back to this thread: its application half, the ring and the take-over code were a quarter of the
// bundle and never ran. The same signature as sender.ts, so deferred-transport.ts loads either.
import type { AgentConfig, Logger } from '../config-types.js';
import type { IntakeEndpoint } from './endpoint.js';
import { HttpTransport } from './http-transport.js';
import type { CreateTransportOptions } from './sender.js';
import type { Transport } from './transport.js';

let inThreadReported = false;

/** Streams events to the endpoint (intake v2, gzip NDJSON) from this thread, whatever `transportThread` says. */
export function createSender(
  config: AgentConfig,
  logger: Logger,
  endpoint: IntakeEndpoint,
  options?: CreateTransportOptions,
): Transport {
  const { workerFile: _unused, ...httpOptions } = options ?? {};
  if (config.transportThread !== 'main' && !inThreadReported) {
    inThreadReported = true;
    logger.debug(
      'the runtime is bundled into the application, without the transport worker: sending from the main thread',
    );
  }
  return new HttpTransport(config, logger, endpoint, httpOptions);
}
