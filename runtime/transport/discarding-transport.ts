// The transport for a client that must not send: `disableSend`, or a server URL that cannot be used.
import type { AgentConfig, Logger } from '../config-types.js';
import { type IntakeEndpoint, resolveEndpoint } from './endpoint.js';
import type { EventKind, Transport, TransportStats } from './transport.js';

/** Accepts and forgets; with `countAsDropped`, every event counts as dropped (it was meant to be sent). */
export class DiscardingTransport implements Transport {
  readonly stats: TransportStats = { queued: 0, dropped: 0, failed: 0, sent: 0 };
  constructor(private readonly countAsDropped: boolean) {}
  send(_kind: EventKind, _event: object): void {
    if (this.countAsDropped) this.stats.dropped++;
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Where to send events, or the transport for a client that must not send (an unusable endpoint is logged). */
export function endpointOrDiscarding(
  config: AgentConfig,
  logger: Logger,
): IntakeEndpoint | DiscardingTransport {
  // disable_send: no server communication at all, and no warnings about it (AGENT-RULES §13).
  if (config.disableSend) return new DiscardingTransport(false);
  const endpoint = resolveEndpoint(config, logger);
  if (!('problem' in endpoint)) return endpoint;
  logger.error(`events will not be sent: ${endpoint.problem}`);
  return new DiscardingTransport(true);
}
