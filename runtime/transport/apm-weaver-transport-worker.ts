// The transport worker's entry (a worker_threads thread started by worker-transport.ts): reads the ring the
// application thread writes, rebuilds each event and hands it to the ordinary HttpTransport, which batches,
// gzips and sends as it does in-thread. While events flow it keeps taking them from the ring; when the ring
// and the HTTP queue are empty it sleeps in Atomics.waitAsync until the application thread writes again, so an
// idle agent costs nothing.
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../config-types.js';
import { resolveEndpoint } from './endpoint.js';
import { HttpTransport } from './http-transport.js';
import { type FromWorker, type ToWorker, WORKER_PROTOCOL, type WorkerSetup } from './worker-protocol.js';
import { RingReader, Slot } from './worker-ring.js';
import { drainRing } from './worker-ring-drain.js';
import { SpanRecordReader } from './worker-span-record.js';

const ACTIVE_POLL_MS = 1;
// Waking from Atomics.waitAsync took 0.5-6 ms on a loaded machine, time in which a busy application thread fills
// the ring: after events stopped, keep looking every millisecond for this many polls before sleeping.
const IDLE_POLLS_BEFORE_SLEEP = 50;
// While the ring is empty but the HTTP transport has events not yet settled, how often its progress is published
// (the application thread reads the counters and the queue room from the ring).
const QUEUE_POLL_MS = 5;

// Atomics.waitAsync (V8, Node >= 16) is in TypeScript's es2024 lib; the project compiles against an older one.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: unknown };
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
  });
  const reader = new RingReader(setup.buffer);
  const records = new SpanRecordReader(reader);
  const queueCapacity = http.queueRoom;
  let undecodable = 0;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let idlePolls = 0;
  let waiting = false;

  const publish = (): void => {
    reader.publish(Slot.sent, http.stats.sent);
    reader.publish(Slot.failed, http.stats.failed + undecodable);
    reader.publish(Slot.dropped, http.stats.dropped);
    reader.publish(Slot.boundBase, reader.eventsConsumed - (queueCapacity - http.queueRoom));
    reader.publish(Slot.senderWorks, http.stats.sent > 0 && !http.failing ? 1 : 0);
  };
  const drain = (): number => {
    const moved = drainRing(reader, records, http);
    undecodable += moved.undecodable;
    publish();
    return moved.taken;
  };
  const tick = (): void => {
    timer = undefined;
    immediate = undefined;
    // While events flow, take them as fast as they come (after the HTTP transport's own setImmediate work): a
    // millisecond's pause is thousands of events at full speed.
    if (drain() > 0) {
      idlePolls = 0;
      immediate = setImmediate(tick);
    } else if (reader.hasRecord || idlePolls++ < IDLE_POLLS_BEFORE_SLEEP) {
      timer = setTimeout(tick, ACTIVE_POLL_MS);
    } else if (http.stats.sent + http.stats.failed < http.stats.queued)
      timer = setTimeout(tick, QUEUE_POLL_MS);
    else sleep();
  };
  const sleep = (): void => {
    if (waiting) return;
    // trySleep re-checks the ring after raising the flag, so a record written meanwhile is not left waiting.
    const wait = reader.trySleep() ? waitAsync(reader.control, Slot.readerAsleep, 1) : undefined;
    if (wait?.async !== true) {
      timer = setTimeout(tick, 0);
      return;
    }
    waiting = true;
    void (wait.value as Promise<unknown>).then(() => {
      waiting = false;
      if (timer === undefined && immediate === undefined) tick();
    });
  };

  /** Delivers every event up to `target` (events written by the application thread), then says so. */
  const flushThrough = async (target: number): Promise<void> => {
    for (;;) {
      drain();
      // What the HTTP transport took until now is what this flush covers (the tick may take more meanwhile).
      const covered = reader.eventsConsumed;
      await http.flush();
      if (covered >= target) break;
    }
    publish();
    post(port, { type: 'flushed', target });
  };

  port.on('message', (message: ToWorker) => {
    if (message.type === 'flush') {
      void flushThrough(message.target);
    } else if (message.type === 'close') {
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
