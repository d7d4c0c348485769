// Span lines as the transport worker writes them, for span-deflate's tests: events written into a real ring by the
// application thread's writers (span records, and line records for other events), drained into output buffers with
// hints by RingDrain, as in the worker. Random spans cover what a span line's bytes can vary in.
import { SpanEvent } from '../../runtime/span-event.js';
import { spanCodes } from '../../runtime/transport/deflate-codes.js';
import { encodeLine } from '../../runtime/transport/encode.js';
import type { EncodedLines } from '../../runtime/transport/encoded-lines.js';
import { GzipMembers } from '../../runtime/transport/gzip-members.js';
import type { EventKind } from '../../runtime/transport/transport.js';
import { createRingBuffer, RingReader, RingWriter } from '../../runtime/transport/worker-ring.js';
import { type DrainTarget, lineRecordType, RingDrain } from '../../runtime/transport/worker-ring-drain.js';
import { SpanRecordWriter } from '../../runtime/transport/worker-span-record.js';
import { hex, pick, random } from '../helpers/seeded-random.js';

export { hex, pick, random };

export interface SpanShape {
  id?: string;
  transaction: string;
  trace: string;
  /** Default: the transaction. */
  parent?: string;
  name?: string;
  type?: string;
  subtype?: string;
  action?: string;
  timestamp: number;
  duration?: number;
  outcome?: string;
  sampleRate?: number;
}

export function spanOf(shape: SpanShape, next: () => number): SpanEvent {
  return new SpanEvent(
    shape.id ?? hex(next, 16),
    shape.transaction,
    shape.parent ?? shape.transaction,
    shape.trace,
    shape.name ?? 'work',
    shape.type ?? 'app',
    shape.subtype,
    shape.action,
    shape.timestamp,
    shape.duration ?? Math.round(next() * 20_000) / 1000,
    // Any string: the worker writes whatever outcome it is given.
    (shape.outcome ?? 'success') as never,
    shape.sampleRate,
    undefined,
    undefined,
    undefined,
  );
}

/** A transaction or error event as the in-thread encoder takes it (a plain object is enough for encodeLine). */
export function transactionOf(id: string, trace: string, timestamp: number): Record<string, unknown> {
  return {
    id,
    trace_id: trace,
    name: 'GET /checkout',
    type: 'request',
    timestamp,
    duration: 12.5,
    outcome: 'success',
    result: 'HTTP 2xx',
    sampled: true,
    sample_rate: 1,
    span_count: { started: 10, dropped: 0 },
  };
}

export function errorOf(
  id: string,
  trace: string,
  transaction: string,
  timestamp: number,
): Record<string, unknown> {
  const frames = [];
  for (let i = 0; i < 30; i++) {
    frames.push({
      filename: `src/services/module-${i % 7}.ts`,
      abs_path: `/srv/app/src/services/module-${i % 7}.ts`,
      function: `handler${i}`,
      lineno: 10 + i * 3,
      colno: 5 + (i % 9),
      library_frame: i > 20,
    });
  }
  return {
    id,
    trace_id: trace,
    transaction_id: transaction,
    parent_id: transaction,
    timestamp,
    culprit: 'handler0 (src/services/module-0.ts)',
    exception: { message: 'card declined', type: 'PaymentError', handled: false, stacktrace: frames },
  };
}

const ALPHABET = ['a', 'Z', '9', ' ', '.', '"', '\\', '\n', '\t', 'é', 'ß', '漢', '🎉', '\u0001', '\u2028'];

function randomName(next: () => number): string {
  let name = '';
  const length = 1 + Math.floor(next() * 40);
  for (let i = 0; i < length; i++) name += pick(next, ALPHABET);
  return name;
}

/**
 * Spans varying in everything a span line can vary in, in six transactions. `intakeValid`: none beyond what the intake
 * accepts (otherwise a common name is 3000 characters, and one timestamp in 200 is not an integer).
 */
export function randomSpans(seed: number, count: number, intakeValid = false): FeedEvent[] {
  const next = random(seed);
  const names = [
    'work',
    'grüße 🎉',
    'x'.repeat(intakeValid ? 1000 : 3000),
    'Checkout.charge',
    ...Array.from({ length: 30 }, () => randomName(next)),
  ];
  const transactions = Array.from({ length: 6 }, () => ({ id: hex(next, 16), trace: hex(next, 32) }));
  const parents = Array.from({ length: 3 }, () => hex(next, 16));
  const rates = [undefined, 1, 0.5, 0.0001, 0.123456789, Number.NaN];
  // Timestamps cross a boundary of 1e8 µs (the digits above the last eight change) halfway through.
  let timestamp = 1_764_100_000_000_000 - count * 500;
  let transaction = transactions[0] as (typeof transactions)[0];
  const events: FeedEvent[] = [];
  for (let i = 0; i < count; i++) {
    if (next() < 0.05) transaction = pick(next, transactions);
    timestamp += Math.floor(next() * 1000);
    const width = i % 13;
    const event = spanOf(
      {
        transaction: transaction.id,
        trace: transaction.trace,
        parent: next() < 0.5 ? undefined : next() < 0.5 ? pick(next, parents) : hex(next, 16),
        name: next() < 0.7 ? pick(next, names.slice(0, 6)) : pick(next, names),
        type: pick(next, ['app', 'db', 'external', 'tëst']),
        subtype: pick(next, [undefined, undefined, 'postgresql', 'ünïcødé']),
        action: pick(next, [undefined, 'query', 'exec']),
        // One in 200 takes the worker's other path for a timestamp (not a 16-digit integer): a line without hints.
        timestamp: i % 200 === 199 && !intakeValid ? timestamp + 0.5 : timestamp,
        duration:
          i % 97 === 0 ? pick(next, [0, 1e9, 0.1 + 0.2, 1e9 + 0.5]) : Math.round(next() * 10 ** width) / 1000,
        outcome: pick(next, ['success', 'success', 'failure', 'unknown']),
        sampleRate: pick(next, rates),
      },
      next,
    );
    events.push({ kind: 'span', event });
  }
  return events;
}

export interface FeedEvent {
  kind: EventKind;
  event: object;
}

/** The lines of `events` as the in-thread encoder writes them: what the worker's output must equal. */
export function expectedText(events: readonly FeedEvent[]): string {
  return events.map(({ kind, event }) => encodeLine(kind, event)).join('');
}

/** Writes events into a ring as the application thread does: plain spans as span records, the rest as lines. */
export class RingFeed {
  readonly writer: RingWriter;
  private readonly spans: SpanRecordWriter;
  private readonly text: Buffer;

  constructor(bytes = 1 << 24) {
    this.writer = new RingWriter(createRingBuffer(bytes));
    this.spans = new SpanRecordWriter(this.writer);
    const view = this.writer.bytes;
    this.text = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  }

  write({ kind, event }: FeedEvent): void {
    if (kind === 'span' && event instanceof SpanEvent) {
      if (this.spans.write(event) !== 'written') throw new Error('the span record was not written');
    } else {
      const line = encodeLine(kind, event);
      const length = Buffer.byteLength(line, 'utf8');
      const at = this.writer.begin(lineRecordType(kind), length);
      if (at < 0) throw new Error('the ring is full');
      this.text.write(line, at, length, 'utf8');
      this.writer.commit();
    }
  }

  writeAll(events: readonly FeedEvent[]): void {
    for (const event of events) this.write(event);
    this.writer.publish();
  }

  /** A drain over this ring, as the worker makes it. */
  drain(linesReleased?: () => boolean): RingDrain {
    return new RingDrain(new RingReader(this.writer.buffer), [], linesReleased);
  }
}

/** Everything in the ring, drained as runs (one per output buffer). */
export function drainRuns(drain: RingDrain): EncodedLines[] {
  const runs: EncodedLines[] = [];
  const target: DrainTarget = {
    queueRoom: Number.POSITIVE_INFINITY,
    send: (_kind, run) => runs.push(run as EncodedLines),
  };
  drain.drain(target);
  return runs;
}

/** The bytes of a run: a view of its output buffer, as batch-encoder.ts hands them to the request. */
export function piece(run: EncodedLines): Buffer {
  return run.buffer.subarray(run.start, run.end);
}

/** The bytes every member span-deflate.ts writes begins with: the gzip header and the block's code header. */
export const SPAN_MEMBER_START = Buffer.concat([
  Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]),
  Buffer.from(spanCodes().start.bytes),
]);

/** How many members of a body span-deflate.ts wrote (zlib's members carry another OS byte and header). */
export function spanMembersIn(body: Buffer): number {
  let count = 0;
  for (let at = body.indexOf(SPAN_MEMBER_START); at >= 0; at = body.indexOf(SPAN_MEMBER_START, at + 1))
    count++;
  return count;
}

/** A GzipMembers as a request uses it, its members kept: `body()` is what the request would have sent so far. */
export function collectingGzip(): { gzip: GzipMembers; body: () => Buffer } {
  const members: Buffer[] = [];
  const gzip = new GzipMembers(
    (member) => members.push(member) > 0,
    () => {},
  );
  return { gzip, body: () => Buffer.concat(members) };
}
