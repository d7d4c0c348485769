// The seam between the client and whatever ships its events.
// The client builds events as plain objects in intake v2 shape (snake_case, as in
// ../shared/spec/intake-v2/*.json) and hands them over; the transport owns them from then on.

export type EventKind = 'transaction' | 'span' | 'error' | 'metricset';

export interface TransportStats {
  /** Events accepted into the queue. */
  queued: number;
  /** Events dropped because the queue was full. */
  dropped: number;
  /** Events lost in a failed request (non-2xx, reset, timeout). */
  failed: number;
  /** Events the server acknowledged. */
  sent: number;
}

export interface Transport {
  /** Queue one event. Never throws and never blocks; a full queue drops and counts. */
  send(kind: EventKind, event: object): void;
  /** Resolves when every event queued before the call was acknowledged or definitely failed. Never rejects. */
  flush(): Promise<void>;
  /** Flushes, then releases sockets and timers. Never rejects. */
  close(): Promise<void>;
  readonly stats: TransportStats;
}
