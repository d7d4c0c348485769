// The sender: takes events from the bounded queue, streams them into one intake request at a time,
// ends requests on time, size, flush or a queued error, and backs off after failures.
//
// Bookkeeping is by sequence: events are numbered as they enter the queue, and they settle
// (sent or failed) strictly in that order, so flush() only has to wait until `settled` reaches
// the count it saw when it was called.
import type { AgentConfig, Logger } from '../config-types.js';
import { backoffDelayMs, DEFAULT_BACKOFF_UNIT_MS } from './backoff.js';
import { encodeLine } from './encode.js';
import type { IntakeEndpoint } from './endpoint.js';
import { FailureLog } from './failure-log.js';
import { intakeHeaders } from './headers.js';
import { IntakeRequest, type RequestOutcome } from './intake-request.js';
import { buildMetadata } from './metadata.js';
import { BoundedEventQueue } from './queue.js';
import type { EventKind, Transport, TransportStats } from './transport.js';

export interface HttpTransportOptions {
  /** Length of one backoff "second" in ms (default 1000). Tests shrink it; nothing else should. */
  backoffUnitMs?: number;
  /** How long a `beforeExit` flush may hold the process open (default 1000 ms). */
  exitFlushTimeoutMs?: number;
  /** The metadata object; built from the config and the host when left out. */
  metadata?: Record<string, unknown>;
}

// Events encoded per write: large enough to amortise the gzip write, small enough to keep a tick short.
const BATCH_SIZE = 256;

interface FlushWaiter {
  target: number;
  resolve: () => void;
  holdProcess: boolean;
}

export class HttpTransport implements Transport {
  readonly stats: TransportStats = { queued: 0, dropped: 0, failed: 0, sent: 0 };
  private readonly queue: BoundedEventQueue;
  private readonly headers: Record<string, string>;
  private readonly failureLog: FailureLog;
  private readonly backoffUnitMs: number;
  private readonly exitFlushTimeoutMs: number;
  private metadataLine: Buffer | undefined;
  private current: IntakeRequest | undefined;
  private skippedInCurrent = 0;
  private requestTimer: NodeJS.Timeout | undefined;
  private backoffTimer: NodeJS.Timeout | undefined;
  private drainScheduled = false;
  /** Sequence numbers: events accepted into the queue, handed to requests, and settled. */
  private accepted = 0;
  private written = 0;
  private settled = 0;
  /** Events up to this sequence number should leave promptly (a flush or a queued error asked). */
  private promptThrough = 0;
  private waiters: FlushWaiter[] = [];
  private processHold: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private exitFlushGaveUpAt = -1;
  private unencodableReported = false;
  private readonly onBeforeExit = (): void => this.flushBeforeExit();

  constructor(
    private readonly config: AgentConfig,
    private readonly logger: Logger,
    private readonly endpoint: IntakeEndpoint,
    private readonly options: HttpTransportOptions = {},
  ) {
    this.queue = new BoundedEventQueue(Math.max(1, config.maxQueueSize));
    this.headers = intakeHeaders(config);
    this.failureLog = new FailureLog(logger, endpoint.displayUrl, [config.secretToken, config.apiKey]);
    this.backoffUnitMs = options.backoffUnitMs ?? DEFAULT_BACKOFF_UNIT_MS;
    this.exitFlushTimeoutMs = options.exitFlushTimeoutMs ?? 1000;
    process.on('beforeExit', this.onBeforeExit);
  }

  send(kind: EventKind, event: object): void {
    try {
      if (this.closing || !this.queue.push(kind, event)) {
        this.stats.dropped++;
        return;
      }
      this.stats.queued++;
      this.accepted++;
      // Errors matter most right when the process may be about to die: do not let them wait 10 s.
      if (kind === 'error') this.promptThrough = this.accepted;
      this.scheduleDrain();
    } catch {
      // never throw into the application
    }
  }

  flush(): Promise<void> {
    return this.flushUpTo(true);
  }

  /**
   * @param holdProcess keep the event loop alive until settled: our sockets and timers are unref'd,
   *   so without it `await flush()` at the end of a script could see the process exit first.
   *   The beforeExit flush has its own cap instead.
   */
  private flushUpTo(holdProcess: boolean): Promise<void> {
    try {
      const target = this.accepted;
      if (this.settled >= target) return Promise.resolve();
      this.promptThrough = Math.max(this.promptThrough, target);
      const done = new Promise<void>((resolve) => this.waiters.push({ target, resolve, holdProcess }));
      if (holdProcess && !this.processHold) this.processHold = setInterval(() => {}, 60_000);
      // While backing off the server is known to be failing: events waiting for it count as failed.
      if (this.backoffTimer && !this.current) this.failQueuedForFlush();
      this.scheduleDrain();
      return done;
    } catch {
      return Promise.resolve();
    }
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    process.off('beforeExit', this.onBeforeExit);
    this.closing = this.flush().then(() => this.release());
    return this.closing;
  }

  private release(): void {
    clearTimeout(this.requestTimer);
    clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
    this.current?.abort('transport closed');
    clearInterval(this.processHold);
    this.processHold = undefined;
    this.endpoint.agent.destroy();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.drainScheduled = false;
    try {
      if (this.current) {
        if (this.current.ready) this.pump(this.current);
        return;
      }
      if (this.queue.length === 0 || this.backoffTimer) return;
      this.startRequest();
    } catch (error) {
      this.logger.error(`apm-weaver: transport error: ${this.failureLog.redact(String(error))}`);
    }
  }

  private startRequest(): void {
    let request: IntakeRequest;
    try {
      request = new IntakeRequest(this.endpoint, this.headers, this.config.serverTimeout, {
        onReady: () => this.scheduleDrain(),
        onWritable: () => this.scheduleDrain(),
        onDone: (outcome) => this.onRequestDone(request, outcome),
      });
    } catch (error) {
      // e.g. a header value Node refuses; handled like any failed attempt
      this.current = undefined;
      this.onFailure(0, `cannot create the request: ${(error as Error).message}`, false);
      return;
    }
    this.current = request;
    this.skippedInCurrent = 0;
    request.write(this.metadata());
    this.requestTimer = setTimeout(() => this.endCurrent(), this.config.apiRequestTime);
    this.requestTimer.unref();
  }

  /** Moves queued events into the open request until the queue is empty or the request must end. */
  private pump(request: IntakeRequest): void {
    const limit = this.config.apiRequestSize;
    while (this.queue.length > 0 && !request.ended) {
      // One string and one gzip write per batch; the batch stops short of the size limit so a
      // request ends within one event of apiRequestSize (string length approximates bytes).
      let text = '';
      let count = 0;
      this.queue.takeWhile((kind, event) => {
        count++;
        try {
          text += encodeLine(kind, event);
        } catch (error) {
          this.onUnencodable(kind, error);
        }
        return count < BATCH_SIZE && request.bytes + text.length < limit;
      });
      request.eventCount += count;
      this.written += count;
      const writable = text.length === 0 || request.write(Buffer.from(text, 'utf8'));
      if (request.bytes >= limit) {
        this.endCurrent();
        return;
      }
      if (!writable) break; // onWritable schedules the next round
    }
    const firstInRequest = this.written - request.eventCount + 1;
    if (this.written >= this.promptThrough && this.promptThrough >= firstInRequest) this.endCurrent();
  }

  private endCurrent(): void {
    clearTimeout(this.requestTimer);
    this.requestTimer = undefined;
    this.current?.end();
  }

  private onRequestDone(request: IntakeRequest, outcome: RequestOutcome): void {
    if (this.current !== request) return;
    this.current = undefined;
    clearTimeout(this.requestTimer);
    this.requestTimer = undefined;
    const count = request.eventCount;
    if (outcome.ok) {
      this.stats.sent += count - this.skippedInCurrent;
      this.stats.failed += this.skippedInCurrent;
      this.settled += count;
      this.failureLog.success();
    } else {
      this.settled += count;
      this.onFailure(count, outcome.reason, outcome.connected);
    }
    this.resolveWaiters();
    this.scheduleDrain();
  }

  private onFailure(lostEvents: number, reason: string, _connected: boolean): void {
    this.stats.failed += lostEvents;
    const delay = this.closing ? 0 : backoffDelayMs(this.failureLog.failures, this.backoffUnitMs);
    this.failureLog.failure(reason, lostEvents, delay);
    if (delay > 0) {
      this.backoffTimer = setTimeout(() => {
        this.backoffTimer = undefined;
        this.scheduleDrain();
      }, delay);
      this.backoffTimer.unref();
    }
    // A flush waiting on this server gets its answer now rather than after the backoff.
    this.failQueuedForFlush();
    this.resolveWaiters();
  }

  /** Counts the queued events a pending flush waits for as failed, and forgets them. */
  private failQueuedForFlush(): void {
    if (this.current) return;
    const target = this.waiters.reduce((max, w) => Math.max(max, w.target), 0);
    const count = this.queue.discard(Math.max(0, target - this.settled));
    this.written += count;
    this.settled += count;
    this.stats.failed += count;
    this.failureLog.lost(count);
    this.resolveWaiters();
  }

  private resolveWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: FlushWaiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.target <= this.settled) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
    if (this.processHold && !still.some((w) => w.holdProcess)) {
      clearInterval(this.processHold);
      this.processHold = undefined;
    }
  }

  private flushBeforeExit(): void {
    if (this.settled >= this.accepted || this.accepted === this.exitFlushGaveUpAt) return;
    // A referenced timer keeps the loop alive while the flush runs (our sockets are unref'd).
    const cap = setTimeout(() => {
      this.exitFlushGaveUpAt = this.accepted;
    }, this.exitFlushTimeoutMs);
    void this.flushUpTo(false).then(() => clearTimeout(cap));
  }

  private metadata(): Buffer {
    if (!this.metadataLine) {
      let metadata: Record<string, unknown>;
      try {
        metadata = this.options.metadata ?? buildMetadata(this.config);
      } catch (error) {
        this.logger.error(`apm-weaver: cannot build metadata: ${(error as Error).message}`);
        metadata = {
          service: { name: 'unknown-nodejs-service', agent: { name: 'apm-weaver', version: 'unknown' } },
        };
      }
      this.metadataLine = Buffer.from(encodeLine('metadata', metadata), 'utf8');
    }
    return this.metadataLine;
  }

  private onUnencodable(kind: EventKind, error: unknown): void {
    this.skippedInCurrent++;
    const line = `apm-weaver: a ${kind} event cannot be encoded and is dropped: ${(error as Error)?.message ?? error}`;
    if (this.unencodableReported) {
      this.logger.debug(line);
      return;
    }
    this.unencodableReported = true;
    this.logger.warn(line);
  }
}
