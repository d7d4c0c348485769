// The sender: takes events from the bounded queue and streams them into intake requests, one
// written at a time while up to two earlier ones wait for their answers; ends requests on time,
// size, flush or a queued error; backs off after failures. Flush bookkeeping: delivery-ledger.ts;
// encoding a batch: batch-encoder.ts.
import type { AgentConfig, Logger } from '../config-types.js';
import { backoffDelayMs, DEFAULT_BACKOFF_UNIT_MS } from './backoff.js';
import { BatchEncoder } from './batch-encoder.js';
import { DeliveryLedger } from './delivery-ledger.js';
import { eventCount } from './encoded-lines.js';
import type { IntakeEndpoint } from './endpoint.js';
import { CappedExitFlush, onBeforeExit } from './exit-hook.js';
import { FailureLog } from './failure-log.js';
import { intakeHeaders } from './headers.js';
import { IntakeRequest, type RequestOutcome } from './intake-request.js';
import { metadataLine } from './metadata.js';
import { BoundedEventQueue } from './queue.js';
import type { EventKind, Transport, TransportStats } from './transport.js';

export interface HttpTransportOptions {
  /** Length of one backoff "second" in ms (default 1000). Tests shrink it; nothing else should. */
  backoffUnitMs?: number;
  /** How long a `beforeExit` flush may hold the process open (default 1000 ms). */
  exitFlushTimeoutMs?: number;
  /** The metadata object; built from the config and the host when left out. */
  metadata?: Record<string, unknown>;
  /** Compress on the sending thread rather than in the thread pool (the transport worker: IntakeRequest). */
  compressInPlace?: boolean;
}

// Each gzip write costs ~20 µs of main-thread time (stream bookkeeping, the thread-pool hand-off), far more
// than encoding one event: while a request is open and nobody waits for the events, they gather in the queue
// until there are this many (at most a quarter of the queue, so a burst still has room), or for at most
// COALESCE_MS. bench/: gzip's main-thread cost per event is ~575 ns at 32 events per write, ~210 ns at 128,
// ~60 ns at 512.
const COALESCE_EVENTS = 256;
const COALESCE_MS = 10;
// The request being written plus those waiting for an answer. Starting the next request without
// waiting for the previous answer keeps the queue from filling during the server's reply time.
export const MAX_OPEN_REQUESTS = 3;

export class HttpTransport implements Transport {
  readonly stats: TransportStats = { queued: 0, dropped: 0, failed: 0, sent: 0 };
  private readonly queue: BoundedEventQueue;
  private readonly ledger = new DeliveryLedger();
  private readonly headers: Record<string, string>;
  private readonly failureLog: FailureLog;
  private readonly backoffUnitMs: number;
  private readonly exitFlush: CappedExitFlush;
  private metadataLine: Buffer | undefined;
  /** The request events are written into; ended requests are only counted in openRequests. */
  private current: IntakeRequest | undefined;
  private openRequests = 0;
  private requestTimer: NodeJS.Timeout | undefined;
  private backoffTimer: NodeJS.Timeout | undefined;
  private drainScheduled = false;
  private coalesceTimer: NodeJS.Timeout | undefined;
  private readonly coalesceEvents: number;
  /** Events up to this sequence number should leave promptly (a flush or a queued error asked). */
  private promptThrough = 0;
  private closing: Promise<void> | undefined;
  private released = false;
  private readonly encoder: BatchEncoder;
  private readonly stopExitHook: () => void;

  constructor(
    private readonly config: AgentConfig,
    private readonly logger: Logger,
    private readonly endpoint: IntakeEndpoint,
    private readonly options: HttpTransportOptions = {},
  ) {
    this.queue = new BoundedEventQueue(Math.max(1, config.maxQueueSize));
    this.coalesceEvents = Math.min(COALESCE_EVENTS, Math.floor(this.queue.capacity / 4));
    this.headers = intakeHeaders(config);
    this.encoder = new BatchEncoder(logger);
    this.failureLog = new FailureLog(logger, endpoint.displayUrl, [config.secretToken, config.apiKey]);
    this.backoffUnitMs = options.backoffUnitMs ?? DEFAULT_BACKOFF_UNIT_MS;
    this.exitFlush = new CappedExitFlush(options.exitFlushTimeoutMs ?? 1000);
    this.stopExitHook = onBeforeExit(() => this.flushBeforeExit());
  }

  /** Queues one event, or a run of encoded lines (EncodedLines) as its lines: those that fit, the rest dropped. */
  send(kind: EventKind, event: object): void {
    try {
      const offered = eventCount(event);
      const count = this.closing ? 0 : this.queue.pushFitting(kind, event);
      this.stats.dropped += offered - count;
      if (count === 0) return;
      this.stats.queued += count;
      this.ledger.accepted += count;
      // Errors matter most right when the process may be about to die: do not let them wait 10 s.
      if (kind === 'error') this.promptThrough = this.ledger.accepted;
      this.scheduleDrain();
    } catch {
      // never throw into the application
    }
  }

  flush(): Promise<void> {
    return this.flushAll(true);
  }

  /** How many more events the queue takes now (the transport worker moves events from its ring only into room). */
  get queueRoom(): number {
    return this.queue.room;
  }

  /**
   * Resolves the next time events leave the queue (written into a request, or given up) or a request finishes, or
   * when the transport is torn down: the transport worker waits on it for room while it flushes more events than
   * the queue holds.
   */
  nextProgress(): Promise<void> {
    return this.released ? Promise.resolve() : this.ledger.nextProgress();
  }

  /** True while the open request holds lines it has not compressed yet (compressInPlace: gzip-members.ts). */
  get holdsLines(): boolean {
    return this.current?.holdsLines === true;
  }

  /** True while the last attempt failed: events wait in the queue for the server (the transport worker's bound). */
  get failing(): boolean {
    return this.failureLog.failures > 0;
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.stopExitHook();
    this.closing = this.flush().then(() => this.release());
    return this.closing;
  }

  private flushAll(holdProcess: boolean): Promise<void> {
    try {
      const done = this.ledger.waitForAll(holdProcess);
      this.promptThrough = Math.max(this.promptThrough, this.ledger.accepted);
      // While backing off the server is known to be failing: events waiting for it count as failed.
      if (this.backoffTimer && !this.current) this.failQueuedForFlush();
      this.scheduleDrain();
      return done;
    } catch {
      return Promise.resolve();
    }
  }

  private release(): void {
    clearTimeout(this.coalesceTimer);
    clearTimeout(this.requestTimer);
    clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
    this.released = true;
    this.current?.abort('transport closed');
    this.ledger.releaseHold();
    this.endpoint.destroy();
    this.ledger.progressed();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    if (this.canWaitForMore()) {
      if (this.coalesceTimer === undefined) {
        this.coalesceTimer = setTimeout(() => {
          this.coalesceTimer = undefined;
          this.drain();
        }, COALESCE_MS);
        this.coalesceTimer.unref();
      }
      return;
    }
    clearTimeout(this.coalesceTimer);
    this.coalesceTimer = undefined;
    this.drainScheduled = true;
    setImmediate(() => this.drain());
  }

  /**
   * True when queued events may wait to be written in a larger batch (see COALESCE_EVENTS): a request is open
   * and no flush or error asked for anything queued or already in that request to leave promptly.
   */
  private canWaitForMore(): boolean {
    const request = this.current;
    return (
      request?.ready === true &&
      this.queue.length < this.coalesceEvents &&
      this.promptThrough <= this.ledger.written - request.eventCount
    );
  }

  private drain(): void {
    this.drainScheduled = false;
    try {
      if (this.current) {
        if (this.current.ready) this.pump(this.current);
        return;
      }
      if (this.queue.length === 0 || this.backoffTimer || this.openRequests >= MAX_OPEN_REQUESTS) return;
      this.startRequest();
    } catch (error) {
      this.logger.error(`transport error: ${this.failureLog.redact(String(error))}`);
    }
  }

  private startRequest(): void {
    let request: IntakeRequest;
    try {
      request = new IntakeRequest(
        this.endpoint,
        this.headers,
        this.config.serverTimeout,
        {
          onReady: () => this.scheduleDrain(),
          onWritable: () => this.scheduleDrain(),
          onDone: (outcome) => this.onRequestDone(request, outcome),
        },
        this.options.compressInPlace,
      );
    } catch (error) {
      // e.g. a header value Node refuses; handled like any failed attempt
      this.onFailure(0, `cannot create the request: ${(error as Error).message}`);
      return;
    }
    this.current = request;
    this.openRequests++;
    this.ledger.track(request);
    request.write(this.metadata());
    this.requestTimer = setTimeout(() => this.endCurrent(), this.config.apiRequestTime);
    this.requestTimer.unref();
  }

  /** Moves queued events into the open request until the queue is empty or the request must end. */
  private pump(request: IntakeRequest): void {
    const limit = this.config.apiRequestSize;
    while (this.queue.length > 0 && !request.ended) {
      // One gzip write per batch (more only where encoded lines and ready bytes alternate).
      const { chunks, count } = this.encoder.take(this.queue, request, limit);
      request.eventCount += count;
      this.ledger.written += count;
      this.ledger.progressed();
      let writable = true;
      for (const chunk of chunks) writable = request.write(chunk) && writable;
      if (request.bytes >= limit) {
        this.endCurrent();
        return;
      }
      if (!writable) break; // onWritable schedules the next round
    }
    const firstInRequest = this.ledger.written - request.eventCount + 1;
    if (this.ledger.written >= this.promptThrough && this.promptThrough >= firstInRequest) this.endCurrent();
  }

  /** Ends the request being written; the next one may start while it waits for its answer. */
  private endCurrent(): void {
    clearTimeout(this.requestTimer);
    this.requestTimer = undefined;
    const request = this.current;
    this.current = undefined;
    request?.end();
    this.scheduleDrain();
  }

  private onRequestDone(request: IntakeRequest, outcome: RequestOutcome): void {
    this.openRequests--;
    if (this.released) return; // torn down by close(): nothing left to report or retry
    if (this.current === request) {
      this.current = undefined;
      clearTimeout(this.requestTimer);
      this.requestTimer = undefined;
    }
    if (outcome.ok) {
      this.stats.sent += request.eventCount - request.skipped;
      this.stats.failed += request.skipped;
      this.failureLog.success();
    } else {
      this.onFailure(request.eventCount, outcome.reason);
    }
    this.ledger.settle();
    this.scheduleDrain();
    this.ledger.progressed();
  }

  private onFailure(lostEvents: number, reason: string): void {
    this.stats.failed += lostEvents;
    const delay = this.closing ? 0 : backoffDelayMs(this.failureLog.failures, this.backoffUnitMs);
    this.failureLog.failure(reason, lostEvents, delay);
    clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
    if (delay > 0) {
      this.backoffTimer = setTimeout(() => {
        this.backoffTimer = undefined;
        this.scheduleDrain();
      }, delay);
      this.backoffTimer.unref();
    }
    // A flush waiting on this server gets its answer now rather than after the backoff.
    this.failQueuedForFlush();
  }

  /** Counts the queued events a pending flush waits for as failed, and forgets them. */
  private failQueuedForFlush(): void {
    if (this.current) return;
    const count = this.queue.discard(Math.max(0, this.ledger.flushTarget - this.ledger.written));
    this.stats.failed += count;
    this.failureLog.lost(count);
    this.ledger.discard(count);
    if (count > 0) this.ledger.progressed();
  }

  private flushBeforeExit(): void {
    if (this.ledger.idle) return;
    this.exitFlush.run(
      () => this.ledger.accepted,
      () => this.flushAll(false),
    );
  }

  private metadata(): Buffer {
    this.metadataLine ??= metadataLine(this.config, this.options.metadata, this.logger);
    return this.metadataLine;
  }
}
