// The client's transport until the first event: the sender's code (the worker transport's application half, the
// in-thread HttpTransport with gzip, retries, metadata and container info; runtime/transport/sender.ts and what it
// imports) is about half of the runtime, and compiling it was a quarter of `import 'apm-weaver'`. A process pays
// for it when it first sends, not when it starts: the first send() loads it with a dynamic import() of a literal
// path. In the shipped package that is a separate file; bundlers get the runtime with the sender inline, where the
// import() only runs its module's code (scripts/bundle-runtime.js). Events sent while it loads wait here, in
// order, bounded by maxQueueSize; what the sender does with them is exactly what it does with events handed to it
// directly.
// The endpoint is resolved here, at construction, as before: a bad server URL or CA file is reported when the
// client starts, and such a client never loads the sender.
import type { AgentConfig, Logger } from '../config-types.js';
import type { PlainSpanKind, PlainSpanSender, PlainSpanTransaction } from '../span-event.js';
import { DiscardingTransport, endpointOrDiscarding } from './discarding-transport.js';
import type { IntakeEndpoint } from './endpoint.js';
import type { EventKind, Transport, TransportStats } from './transport.js';

type SenderModule = typeof import('./sender.js');

/** The sender module; a function so that tests can make it fail. */
export type LoadSender = () => Promise<SenderModule>;

const loadSenderModule: LoadSender = () => import('./sender.js');

/** What the Client uses: discarding when it must not send, else a sender loaded with the first event. */
export function createClientTransport(config: AgentConfig, logger: Logger): Transport {
  const endpoint = endpointOrDiscarding(config, logger);
  return endpoint instanceof DiscardingTransport ? endpoint : new DeferredTransport(config, logger, endpoint);
}

export class DeferredTransport implements Transport, PlainSpanSender {
  private loaded: (Transport & Partial<PlainSpanSender>) | undefined;
  private loading: Promise<void> | undefined;
  /** Events sent before the sender was there, in order. */
  private pending: Array<[EventKind, object]> = [];
  private readonly pendingLimit: number;
  private accepted = 0;
  private dropped = 0;
  private failed = 0;
  /** The sender could not be loaded: nothing will be sent. */
  private broken = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly config: AgentConfig,
    private readonly logger: Logger,
    private readonly endpoint: IntakeEndpoint,
    private readonly load: LoadSender = loadSenderModule,
  ) {
    this.pendingLimit = Math.max(1, config.maxQueueSize);
  }

  /** The real sender (WorkerTransport or HttpTransport), once the first event has loaded it. */
  get sender(): Transport | undefined {
    return this.loaded;
  }

  get stats(): TransportStats {
    const sender = this.loaded?.stats;
    if (sender === undefined)
      return { queued: this.accepted, dropped: this.dropped, failed: this.failed, sent: 0 };
    // Events that waited here were counted again by the sender when handed over.
    return {
      queued: sender.queued,
      dropped: sender.dropped + this.dropped,
      failed: sender.failed + this.failed,
      sent: sender.sent,
    };
  }

  send(kind: EventKind, event: object): void {
    const sender = this.loaded;
    if (sender !== undefined) {
      sender.send(kind, event);
      return;
    }
    if (this.closing !== undefined || this.broken || this.pending.length >= this.pendingLimit) {
      this.dropped++;
      return;
    }
    this.pending.push([kind, event]);
    this.accepted++;
    this.loading ??= this.loadSender();
  }

  /** A plain span as its parts, to a loaded sender that takes them; until then it is sent as an event. */
  sendPlainSpan(
    transaction: PlainSpanTransaction,
    kind: PlainSpanKind,
    id: string,
    idWords: Uint32Array | undefined,
    idAt: number,
    parentId: string,
    outcome: string,
    timestamp: number,
    duration: number,
  ): boolean {
    return (
      this.loaded?.sendPlainSpan?.(
        transaction,
        kind,
        id,
        idWords,
        idAt,
        parentId,
        outcome,
        timestamp,
        duration,
      ) === true
    );
  }

  flush(): Promise<void> {
    if (this.loaded !== undefined) return this.loaded.flush();
    // Nothing was ever sent (no load started), or the sender is on its way: flush it once it is there.
    return this.loading === undefined ? Promise.resolve() : this.loading.then(() => this.loaded?.flush());
  }

  close(): Promise<void> {
    this.closing ??= (this.loading ?? Promise.resolve()).then(() => this.loaded?.close());
    return this.closing;
  }

  private async loadSender(): Promise<void> {
    let sender: Transport;
    try {
      const { createSender } = await this.load();
      sender = createSender(this.config, this.logger, this.endpoint);
    } catch (error) {
      this.broken = true;
      this.failed += this.pending.length;
      this.pending = [];
      this.logger.error(`cannot load the transport, events will not be sent: ${String(error)}`);
      return;
    }
    // Hand the waiting events over before anything else can be sent, so the order is kept. The senders never throw;
    // were one to, this promise (which nobody may be waiting on) must still not reject.
    const waiting = this.pending;
    this.pending = [];
    for (const [kind, event] of waiting) {
      try {
        sender.send(kind, event);
      } catch {
        this.failed++;
      }
    }
    this.loaded = sender;
  }
}
