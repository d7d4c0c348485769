// An in-memory transport: keeps every event the client reports, in order.
// A real option for users (test your own instrumentation: `new Client({ transport: new MemoryTransport() })`)
// and what the runtime's own tests use.
import type { EventKind, Transport, TransportStats } from './transport/transport.js';

export interface RecordedEvent {
  kind: EventKind;
  event: Record<string, unknown>;
}

export class MemoryTransport implements Transport {
  readonly events: RecordedEvent[] = [];
  readonly stats: TransportStats = { queued: 0, dropped: 0, failed: 0, sent: 0 };
  closed = false;

  send(kind: EventKind, event: object): void {
    this.stats.queued++;
    this.stats.sent++;
    this.events.push({ kind, event: event as Record<string, unknown> });
  }

  /** Events of one kind, in the order they were reported. */
  ofKind(kind: EventKind): Record<string, unknown>[] {
    return this.events.filter((e) => e.kind === kind).map((e) => e.event);
  }

  get transactions(): Record<string, unknown>[] {
    return this.ofKind('transaction');
  }

  get spans(): Record<string, unknown>[] {
    return this.ofKind('span');
  }

  get errors(): Record<string, unknown>[] {
    return this.ofKind('error');
  }

  /** Forgets the events recorded so far. */
  clear(): void {
    this.events.length = 0;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
