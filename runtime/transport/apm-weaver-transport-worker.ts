// The transport worker's entry (a worker_threads thread started by worker-transport.ts): reads the ring the
// application thread writes, turns each record into its NDJSON line and hands it to the ordinary HttpTransport,
// which batches, gzips and sends as it does in-thread. While events flow it wakes every few milliseconds (or
// when the ring fills past a fraction) and takes everything at once: each wake, each gzip write and each small
// batch has a fixed cost, so taking events as they came (a wake per task of the application) cost more CPU than
// the events themselves. When the ring and the HTTP queue stay empty it sleeps in Atomics.waitAsync until the
// application thread writes again, so an idle agent costs nothing.
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../config-types.js';
import { resolveEndpoint } from './endpoint.js';
import { HttpTransport } from './http-transport.js';
import { type FromWorker, type ToWorker, WORKER_PROTOCOL, type WorkerSetup } from './worker-protocol.js';
import { ReaderState, RingReader, Slot } from './worker-ring.js';
import { RingDrain } from './worker-ring-drain.js';

// How long the reader naps between takes while events flow, unless the ring fills past RingWriter.wakeBytes first.
// Below the HTTP transport's COALESCE_MS: events wait no longer than they would have in its queue.
const NAP_MS = 5;
// Waking from Atomics.waitAsync took 0.5-6 ms on a loaded machine, time in which a busy application thread fills
// the ring: after events stopped, keep napping this many times (~50 ms) before sleeping until the next record.
const IDLE_NAPS_BEFORE_SLEEP = 10;

// Atomics.waitAsync (V8, Node >= 16) is in TypeScript's es2024 lib; the project compiles against an older one.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
      timeoutMs?: number,
    ): { async: boolean; value: unknown };
  }
).waitAsync;

function post(port: NonNullable<typeof parentPort>, message: FromWorker): void {
  port.postMessage(message);
}

function run(port: NonNullable<typeof parentPort>, setup: WorkerSetup): void {
  const log =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (message: string): void =>
      post(port, { type: 'log', level, message });
  const logger: Logger = { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
  // The application thread resolved the same endpoint first and reported its problems (an unreadable CA file).
  const quiet: Logger = { error() {}, warn() {}, info() {}, debug() {} };
  const endpoint = resolveEndpoint(setup.config, quiet);
  if ('problem' in endpoint) {
    // The application thread resolved the same URL before starting us: it takes over and reports the problem.
    post(port, { type: 'incompatible', protocol: WORKER_PROTOCOL });
    return;
  }
  const http = new HttpTransport(setup.config, logger, endpoint, {
    ...setup.options,
    metadata: setup.metadata,
    compressInPlace: true,
  });
  const reader = new RingReader(setup.buffer);
  const queueCapacity = http.queueRoom;
  // compressInPlace: lines that left the HTTP queue are compressed, or held by the open request until they are.
  const ring = new RingDrain(reader, [], () => http.queueRoom === queueCapacity && !http.holdsLines);
  let undecodable = 0;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let idleNaps = 0;
  let waiting = false;
  let awaitingProgress = false;
  let stopped = false;

  const publish = (): void => {
    reader.publish(Slot.sent, http.stats.sent);
    reader.publish(Slot.failed, http.stats.failed + undecodable);
    reader.publish(Slot.dropped, http.stats.dropped);
    reader.publish(Slot.boundBase, reader.eventsConsumed - (queueCapacity - http.queueRoom));
    reader.publish(Slot.senderWorks, http.stats.sent > 0 && !http.failing ? 1 : 0);
  };
  const drain = (): number => {
    const moved = ring.drain(http);
    undecodable += moved.undecodable;
    publish();
    return moved.taken;
  };
  const tick = (): void => {
    timer = undefined;
    immediate = undefined;
    if (stopped) return;
    const moved = drain();
    if (moved > 0) idleNaps = 0;
    else idleNaps++;
    if (reader.hasRecord) {
      // The HTTP queue had no room for more: take the rest once it has written what it holds into the request (its
      // own setImmediate runs first), or, while nothing moves, when events next leave the queue (a new request
      // connected) or after a nap (the server is slow or failing). Napping alone capped a busy application at one
      // queueful per nap, and what did not fit in the ring's bound meanwhile was dropped.
      if (moved > 0) immediate = setImmediate(tick);
      else {
        timer = setTimeout(tick, NAP_MS);
        // One wait at a time: while the server fails, naps repeat for as long as the backoff lasts.
        if (!awaitingProgress) {
          awaitingProgress = true;
          void http.nextProgress().then(() => {
            awaitingProgress = false;
            if (timer === undefined) return;
            clearTimeout(timer);
            timer = undefined;
            immediate = setImmediate(tick);
          });
        }
      }
    } else if (
      idleNaps <= IDLE_NAPS_BEFORE_SLEEP ||
      http.stats.sent + http.stats.failed < http.stats.queued
    ) {
      // Events flow, stopped only just, or still wait in the HTTP transport (its progress is published as it goes).
      wait(ReaderState.napping);
    } else {
      wait(ReaderState.asleep);
    }
  };
  /** Waits in Atomics.waitAsync until the writer wakes us; a nap ends after NAP_MS in any case. */
  const wait = (state: number): void => {
    if (waiting) return;
    const result = reader.announceWait(state)
      ? waitAsync(
          reader.control,
          Slot.readerAsleep,
          state,
          state === ReaderState.napping ? NAP_MS : undefined,
        )
      : undefined;
    if (result?.async !== true) {
      // A record came meanwhile, or the writer already woke us.
      immediate = setImmediate(tick);
      return;
    }
    waiting = true;
    void (result.value as Promise<unknown>).then(() => {
      waiting = false;
      if (timer === undefined && immediate === undefined) tick();
    });
  };

  /**
   * Delivers every event up to `target` (events written by the application thread), then says so. One request
   * for all of them where the server allows: while the HTTP queue has no room for the rest, wait until events leave
   * it into the open request (or the next one, once it connects); a flush of the HTTP transport, which ends the
   * request (and counts what waits as failed while the server fails), only while the server fails. Flushing
   * whenever an event-loop turn moved nothing made two or three requests of one flush: a new request is not
   * ready for events until its connection is.
   */
  const flushThrough = async (target: number): Promise<void> => {
    for (;;) {
      drain();
      // (Every event up to the target was in the ring before the flush was asked: none left means none lost.)
      if (reader.eventsConsumed >= target || stopped || !reader.hasRecord) break;
      if (http.failing) await http.flush();
      else await http.nextProgress();
    }
    await http.flush();
    publish();
    post(port, { type: 'flushed', target });
  };

  port.on('message', (message: ToWorker) => {
    if (message.type === 'flush') {
      void flushThrough(message.target);
    } else if (message.type === 'close') {
      stopped = true;
      clearTimeout(timer);
      clearImmediate(immediate);
      void http.close().then(() => {
        drain(); // nothing should be left: counted, not sent
        publish();
        post(port, { type: 'closed' });
      });
    }
  });
  tick();
}

const port = parentPort;
const setup = workerData as WorkerSetup | undefined;
if (port) {
  if (setup?.protocol === WORKER_PROTOCOL) run(port, setup);
  else post(port, { type: 'incompatible', protocol: WORKER_PROTOCOL });
}
