// The transport worker's span lines (runtime/transport/worker-span-line.ts), in-process: a span written into the
// ring by the application thread's writer and turned back into bytes by the worker's drain is byte for byte the line
// SpanEvent's own encoder makes, for many spans (fresh and repeated transactions, parents, strings, numbers); and
// the digits it writes for numbers are JSON.stringify's.
import { describe, expect, it } from 'vitest';
import { SpanEvent } from '../../runtime/span-event.js';
import { encodeLine } from '../../runtime/transport/encode.js';
import { EncodedLines } from '../../runtime/transport/encoded-lines.js';
import { writeMillis, writeNumber } from '../../runtime/transport/json-digits.js';
import type { EventKind } from '../../runtime/transport/transport.js';
import { createRingBuffer, RingReader, RingWriter } from '../../runtime/transport/worker-ring.js';
import { RingDrain } from '../../runtime/transport/worker-ring-drain.js';
import { SpanRecordWriter } from '../../runtime/transport/worker-span-record.js';
import { hex, random } from '../helpers/seeded-random.js';
import { spanOf } from './span-deflate-fixtures.js';

/** Each line of a run, as text. */
function linesOf(run: EncodedLines): string[] {
  const lines: string[] = [];
  let start = run.start;
  for (let i = 0; i < run.count; i++) {
    const end = run.ends[run.first + i] as number;
    lines.push(run.buffer.toString('utf8', start, end));
    start = end;
  }
  return lines;
}

function written(value: number, write = writeNumber): string {
  const out = new Uint8Array(64);
  return Buffer.from(out.subarray(0, write(out, 0, value))).toString('latin1');
}

describe('span lines written by the transport worker', () => {
  it('writes numbers as JSON.stringify does', () => {
    const next = random(7);
    const values = [0, -0, 1, 9, 10, 99_999_999, 1e8, 1e8 - 1, 1e8 + 1, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2];
    values.push(
      1e21,
      1e-7,
      0.001,
      0.1,
      0.5,
      123.456,
      999_999_999.999,
      1e9 + 0.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    );
    values.push(Number.NEGATIVE_INFINITY, -1, -0.001, 1_764_087_000_123_456, 0.1 + 0.2);
    for (let i = 0; i < 20_000; i++) {
      const r = next();
      const high = Math.floor(r * 9e7) * 1e8;
      values.push(Math.round(r * 2 ** 53), Math.round(r * 10 ** (1 + (i % 16))), high - 1, high + 1);
      values.push(
        Math.round(r * 10 ** (i % 13)) / 1000,
        Math.max(Math.round(r * 10 ** (i % 12) * 1000) / 1000, 0),
      );
      values.push(r * 1000, -r);
    }
    for (const value of values) {
      expect(written(value), String(value)).toBe(JSON.stringify(value) ?? 'null');
      expect(written(value, writeMillis), String(value)).toBe(JSON.stringify(value) ?? 'null');
    }
  });

  it('turns span records back into the lines SpanEvent encodes, byte for byte', () => {
    const next = random(11);
    const names = ['work', 'grüße 🎉', 'a "quoted" \\ name', 'Checkout.charge', 'x'.repeat(1024)];
    const types = ['code.custom', 'db', 'app "quoted"'];
    const writer = new RingWriter(createRingBuffer(1 << 22));
    const spans = new SpanRecordWriter(writer);
    const events: SpanEvent[] = [];
    // Timestamps the usual 16-digit path does not take, durations of every decimal width.
    const oddStamps = [0, 5, 1.5, 99_999_999, 100_000_000, 2 ** 53 - 1, 2 ** 53 + 2, 1e21, -3];
    const oddDurations = [0, 7, 0.1, 0.12, 0.123, 12.5, 1e9, 1e9 + 0.5, 0.1 + 0.2, -1];
    let transaction = hex(next, 16);
    let trace = hex(next, 32);
    for (let i = 0; i < 3000; i++) {
      if (next() < 0.1) {
        transaction = hex(next, 16);
        trace = hex(next, 32);
      }
      const event = new SpanEvent(
        hex(next, 16),
        transaction,
        next() < 0.5 ? transaction : hex(next, 16),
        trace,
        names[Math.floor(next() * names.length)] as string,
        types[Math.floor(next() * types.length)] as string,
        next() < 0.5 ? undefined : 'ünïcødé',
        next() < 0.7 ? undefined : 'query',
        i % 100 === 99
          ? (oddStamps[((i / 100) % oddStamps.length) | 0] as number)
          : Math.round(1.7e15 + next() * 1e12),
        i % 50 === 49
          ? (oddDurations[((i / 50) % oddDurations.length) | 0] as number)
          : next() < 0.9
            ? Math.round(next() * 1e7) / 1000
            : next() * 10,
        next() < 0.8 ? 'success' : 'failure',
        i % 300 === 299 ? Number.NaN : next() < 0.2 ? undefined : next() < 0.9 ? 1 : next(),
        undefined,
        undefined,
        undefined,
      );
      expect(spans.write(event)).toBe('written');
      events.push(event);
    }
    writer.publish();
    const lines: string[] = [];
    const target = {
      queueRoom: Number.POSITIVE_INFINITY,
      send(kind: EventKind, event: object) {
        expect(kind).toBe('span');
        expect(event).toBeInstanceOf(EncodedLines);
        const run = event as EncodedLines;
        expect(run.buffer.toString('utf8', run.start, run.end)).toBe(linesOf(run).join(''));
        lines.push(...linesOf(run));
      },
    };
    expect(new RingDrain(new RingReader(writer.buffer)).drain(target)).toEqual({
      taken: 3000,
      undecodable: 0,
    });
    expect(lines).toEqual(events.map((event) => encodeLine('span', event)));
  });

  it('writes the output buffer again from its start only once every line handed out was released', () => {
    const writer = new RingWriter(createRingBuffer(1 << 16));
    const spans = new SpanRecordWriter(writer);
    const event = (n: number) =>
      spanOf(
        {
          id: `${n}`.padStart(16, '0'),
          transaction: 'abcdefabcdef0123',
          trace: '0123456789abcdef0123456789abcdef',
          type: 'code.custom',
          timestamp: 1_700_000_000_000_000 + n,
          duration: 0.5,
          sampleRate: 1,
        },
        () => 0, // spanOf draws random values only for what the shape leaves out: nothing here
      );
    let released = false;
    const drain = new RingDrain(new RingReader(writer.buffer), [], () => released);
    const take = (n: number): EncodedLines => {
      expect(spans.write(event(n))).toBe('written');
      writer.publish();
      const taken: EncodedLines[] = [];
      drain.drain({ queueRoom: 1, send: (_kind, run) => taken.push(run as EncodedLines) });
      const [line] = taken;
      expect(taken).toHaveLength(1);
      expect(line?.count).toBe(1);
      expect(line?.buffer.toString('utf8', line.start, line.end)).toBe(encodeLine('span', event(n)));
      return line as EncodedLines;
    };
    const first = take(1);
    const second = take(2);
    expect(second.buffer).toBe(first.buffer);
    expect(second.start).toBe(first.end); // the first line may still be held: not overwritten
    released = true;
    const third = take(3);
    expect(third.buffer).toBe(first.buffer);
    expect(third.start).toBe(0);
  });
});
