// The HTTP transport run in a worker thread. The application thread only writes each event into a shared ring
// (worker-ring-input.ts: a plain span as a small binary record, from its parts when Span.end hands them over
// through sendPlainSpan, anything else as its NDJSON line); the worker rebuilds the events and sends them with the
// ordinary HttpTransport. Semantics are HttpTransport's: send() never throws or blocks (a full
// ring drops and counts), flush() resolves once everything sent before it was delivered or counted failed, a
// beforeExit flush holds the process at most exitFlushTimeoutMs, and the worker never keeps the process alive.
// If the worker cannot start or stops, an in-thread HttpTransport takes over, with what was still in the ring.
import type { Worker } from 'node:worker_threads';
import type { AgentConfig, Logger } from '../config-types.js';
import { nodeOs } from '../lazy-builtins.js';
import type { PlainSpanKind, PlainSpanSender, PlainSpanTransaction } from '../span-event.js';
import { UnencodableLog } from './batch-encoder.js';
import type { IntakeEndpoint } from './endpoint.js';
import { CappedExitFlush, onBeforeExit } from './exit-hook.js';
import { HttpTransport, type HttpTransportOptions } from './http-transport.js';
import { buildMetadata } from './metadata.js';
import type { EventKind, Transport, TransportStats } from './transport.js';
import { findWorkerFile, launchWorker, reportMissingWorker } from './worker-launch.js';
import { type FromWorker, type ToWorker, WORKER_PROTOCOL, type WorkerSetup } from './worker-protocol.js';
import { createRingBuffer, RingReader, Slot } from './worker-ring.js';
import { RingDrain } from './worker-ring-drain.js';
import { RingInput } from './worker-ring-input.js';

// Ring bytes per queued event: a span record is 88 or 136 bytes, a transaction line ~600 (bench/: a burst of 2048
// transactions overflowed 512 KiB while the worker waited for a CPU), errors longer. 2 MiB at the default
// maxQueueSize; the memory is touched as the ring goes round.
const RING_BYTES_PER_EVENT = 2048;
// Room for the longest line APM Server accepts (300 KiB) even with a small maxQueueSize.
const MIN_RING_BYTES = 512 * 1024;

interface FlushWaiter {
  target: number;
  resolve: () => void;
  hold: boolean;
}

export class WorkerTransport implements Transport, PlainSpanSender {
  /** Where events are written for the worker, once it was started (with the first event). */
  private input: RingInput | undefined;
  private worker: Worker | undefined;
  /** The in-thread transport, once the worker could not start or stopped. */
  private inThread: HttpTransport | undefined;
  private readonly eventLimit: number;
  /** Events sent once closing. */
  private droppedClosing = 0;
  private readonly unencodableLog: UnencodableLog;
  /** Events a stopped worker had taken but not settled, or could not be decoded by the thread taking over. */
  private lost = 0;
  /** Ring events handed to the in-thread transport when it took over (counted once already). */
  private handedOver = { queued: 0, dropped: 0 };
  private waiters: FlushWaiter[] = [];
  private holds = 0;
  private flushedThrough = 0;
  private closing: Promise<void> | undefined;
  private onClosed: (() => void) | undefined;
  private readonly stopExitHook: () => void;
  private readonly exitFlush: CappedExitFlush;

  constructor(
    private readonly config: AgentConfig,
    private readonly logger: Logger,
    private readonly endpoint: IntakeEndpoint,
    /** Where the worker entry is, when not in the default place. */
    private readonly workerFile: URL | undefined,
    private readonly options: HttpTransportOptions = {},
  ) {
    this.eventLimit = Math.max(1, config.maxQueueSize);
    this.unencodableLog = new UnencodableLog(logger);
    this.exitFlush = new CappedExitFlush(options.exitFlushTimeoutMs ?? 1000);
    this.stopExitHook = onBeforeExit(() => this.flushBeforeExit());
  }

  get stats(): TransportStats {
    const input = this.input;
    const ring = input?.ring;
    const accepted = this.accepted;
    const unencodable = input?.unencodable ?? 0;
    const workerDropped = ring ? ring.counter(Slot.dropped) : 0;
    const inThread = this.inThread?.stats ?? { queued: 0, dropped: 0, failed: 0, sent: 0 };
    return {
      queued:
        accepted +
        unencodable -
        workerDropped -
        this.handedOver.dropped +
        inThread.queued -
        this.handedOver.queued,
      dropped: this.droppedClosing + (input?.dropped ?? 0) + workerDropped + inThread.dropped,
      failed: unencodable + this.lost + (ring ? ring.counter(Slot.failed) : 0) + inThread.failed,
      sent: (ring ? ring.counter(Slot.sent) : 0) + inThread.sent,
    };
  }

  /** Events written into the ring so far. */
  private get accepted(): number {
    return this.input?.accepted ?? 0;
  }

  send(kind: EventKind, event: object): void {
    try {
      if (this.closing) {
        this.droppedClosing++;
        return;
      }
      if (this.inThread === undefined && this.input === undefined) this.start();
      const input = this.input;
      if (this.inThread !== undefined || input === undefined) this.inThread?.send(kind, event);
      else input.send(kind, event);
    } catch {
      // never throw into the application
    }
  }

  /**
   * A plain span as its parts (span-event.ts SendPlainSpan), written as a record like the span events send() takes.
   * False, for send() to take it as an event, until the worker runs (the first event starts it), once the in-thread
   * transport took over, and for spans the record cannot hold.
   */
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
    try {
      if (this.closing) {
        this.droppedClosing++;
        return true;
      }
      const input = this.input;
      if (this.inThread !== undefined || input === undefined) return false;
      return input.sendPlainSpan(
        transaction,
        kind,
        id,
        idWords,
        idAt,
        parentId,
        outcome,
        timestamp,
        duration,
      );
    } catch {
      return true; // never throw into the application
    }
  }

  flush(): Promise<void> {
    return this.flushAll(true);
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.stopExitHook();
    this.closing = this.flush().then(() => this.shutDown());
    return this.closing;
  }

  /** Starts the worker with the first event; on failure the in-thread transport takes over. */
  private start(): void {
    // 'auto': a second thread pays off only with a second CPU to run it; on one, it would add its own work (decoding
    // the records) to the same CPU and take nothing off it.
    if (this.config.transportThread === 'auto' && nodeOs().availableParallelism() < 2) {
      this.inThread = new HttpTransport(this.config, this.logger, this.endpoint, this.options);
      return;
    }
    const file = findWorkerFile(this.workerFile);
    if (file === undefined) {
      this.inThread = new HttpTransport(this.config, this.logger, this.endpoint, this.options);
      reportMissingWorker(this.logger, this.workerFile !== undefined);
      return;
    }
    try {
      const buffer = createRingBuffer(Math.max(MIN_RING_BYTES, this.eventLimit * RING_BYTES_PER_EVENT));
      const { metadata, ...options } = this.options;
      const setup: WorkerSetup = {
        protocol: WORKER_PROTOCOL,
        buffer,
        config: this.config,
        options,
        metadata: metadata ?? buildMetadata(this.config),
      };
      const worker = launchWorker(file, setup, {
        onMessage: (message) => this.onMessage(message),
        onStop: (reason) => this.takeOver(reason, true),
      });
      this.worker = worker;
      this.input = new RingInput(buffer, this.eventLimit, this.unencodableLog);
    } catch (error) {
      this.input = undefined;
      this.logger.debug(
        `cannot start the transport worker (${String(error)}); events are sent from the main thread`,
      );
      this.inThread = new HttpTransport(this.config, this.logger, this.endpoint, this.options);
    }
  }

  private onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'log':
        this.logger[message.level](message.message);
        break;
      case 'flushed':
        this.flushedThrough = Math.max(this.flushedThrough, message.target);
        this.settleWaiters((waiter) => waiter.target <= this.flushedThrough);
        break;
      case 'closed':
        this.onClosed?.();
        break;
      case 'incompatible':
        this.takeOver(
          `the transport worker file belongs to another version (protocol ${message.protocol})`,
          false,
        );
        break;
    }
  }

  /** Resolves the waiters `done` picks and lets the worker stop holding the process when none holds it. */
  private settleWaiters(done: (waiter: FlushWaiter) => boolean): void {
    const still: FlushWaiter[] = [];
    for (const waiter of this.waiters) {
      if (!done(waiter)) {
        still.push(waiter);
        continue;
      }
      if (waiter.hold) this.holds--;
      waiter.resolve();
    }
    this.waiters = still;
    if (this.holds === 0) this.worker?.unref();
  }

  private flushAll(hold: boolean): Promise<void> {
    try {
      if (this.inThread) return hold ? this.inThread.flush() : Promise.resolve();
      const worker = this.worker;
      const target = this.accepted;
      if (worker === undefined || target <= this.flushedThrough) return Promise.resolve();
      if (hold && this.holds++ === 0) worker.ref();
      const done = new Promise<void>((resolve) => this.waiters.push({ target, resolve, hold }));
      this.input?.ring.publish();
      this.post({ type: 'flush', target });
      return done;
    } catch {
      return Promise.resolve();
    }
  }

  private flushBeforeExit(): void {
    if (this.inThread || this.accepted <= this.flushedThrough) return;
    this.exitFlush.run(
      () => this.accepted,
      () => this.flushAll(false),
    );
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private async shutDown(): Promise<void> {
    const worker = this.worker;
    if (worker !== undefined) {
      worker.ref();
      await new Promise<void>((resolve) => {
        this.onClosed = resolve;
        this.post({ type: 'close' });
      });
      this.worker = undefined;
      worker.removeAllListeners();
      worker.on('error', () => {});
      await worker.terminate();
    }
    await this.inThread?.close();
  }

  /**
   * The worker is gone: an in-thread transport sends what is still in the ring and everything after. Events the
   * worker had taken but not settled are counted failed; flushes waiting on it are answered by the new transport.
   */
  private takeOver(reason: string, unexpected: boolean): void {
    const worker = this.worker;
    const input = this.input;
    if (worker === undefined || input === undefined) return;
    const ring = input.ring;
    this.worker = undefined;
    worker.removeAllListeners();
    worker.on('error', () => {}); // a late error of a thread we let go must not become an uncaught one
    void worker.terminate();
    if (unexpected) this.logger.warn(`${reason}; events are sent from the main thread from now on`);
    else this.logger.debug(`${reason}; events are sent from the main thread`);
    const inThread = new HttpTransport(this.config, this.logger, this.endpoint, this.options);
    this.inThread = inThread;
    const settledByWorker = ring.counter(Slot.sent) + ring.counter(Slot.failed) + ring.counter(Slot.dropped);
    this.lost += Math.max(0, ring.counter(Slot.eventsRead) - settledByWorker);
    ring.publish();
    const reader = new RingReader(ring.buffer);
    reader.resume();
    const strings: string[] = [];
    for (const [text, index] of input.spans.strings) strings[index] = text;
    const before = { ...inThread.stats };
    const moved = new RingDrain(reader, strings).drain({
      queueRoom: Number.POSITIVE_INFINITY,
      send: (kind, event) => inThread.send(kind, event),
    });
    this.lost += moved.undecodable;
    this.handedOver = {
      queued: inThread.stats.queued - before.queued,
      dropped: inThread.stats.dropped - before.dropped,
    };
    const waiting = this.waiters.length > 0;
    void (waiting ? inThread.flush() : Promise.resolve()).then(() => this.settleWaiters(() => true));
    this.onClosed?.();
  }
}
