// The transport for a client that must not send: `disableSend`, or a server URL that cannot be used.
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
