// Runs of encoded lines (runtime/transport/encoded-lines.ts), as the transport worker hands them to the HTTP
// transport: one queue entry counted as its lines, split at line ends where the queue, the queue bound or a
// request's apiRequestSize calls for it. Split, bounded and delivered against the real local intake.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeLine } from '../../runtime/transport/encode.js';
import { EncodedLines } from '../../runtime/transport/encoded-lines.js';
import { resolveEndpoint } from '../../runtime/transport/endpoint.js';
import { HttpTransport } from '../../runtime/transport/http-transport.js';
import { BoundedEventQueue } from '../../runtime/transport/queue.js';
import { createRingBuffer, RingReader, RingWriter } from '../../runtime/transport/worker-ring.js';
import { RingDrain } from '../../runtime/transport/worker-ring-drain.js';
import { SpanRecordWriter } from '../../runtime/transport/worker-span-record.js';
import { type IntakeEvent, type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { spanOf } from './span-deflate-fixtures.js';
import { recordingLogger, span, testConfig } from './transport-fixtures.js';

/** Lines `from` to `to - 1` as one run, in a buffer of their own with a little room before them. */
function run(from: number, to: number): EncodedLines {
  const lines = Array.from({ length: to - from }, (_, i) => Buffer.from(encodeLine('span', span(from + i))));
  const buffer = Buffer.concat([Buffer.from('junk'), ...lines]);
  const ends = new Uint32Array(lines.length + 3);
  let end = 4;
  lines.forEach((line, i) => {
    end += line.length;
    ends[i + 3] = end;
  });
  return new EncodedLines(buffer, ends, 4, 3, lines.length);
}

/** The names of the spans in a run's bytes. */
function namesIn(lines: EncodedLines): string[] {
  return lines.buffer
    .toString('utf8', lines.start, lines.end)
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { span: { name: string } }).span.name);
}

const names = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `span ${from + i}`);

describe('a run of encoded lines', () => {
  it('splits at line ends, by lines or by the bytes they reach', () => {
    const lines = run(0, 10);
    const sizes = names(0, 10).map((_, i) => encodeLine('span', span(i)).length);
    expect(lines.linesReaching(0)).toBe(1);
    expect(lines.linesReaching(1)).toBe(1);
    expect(lines.linesReaching(sizes[0] as number)).toBe(1);
    expect(lines.linesReaching((sizes[0] as number) + 1)).toBe(2);
    expect(lines.linesReaching(lines.end - lines.start)).toBe(10);
    expect(lines.linesReaching(1e9)).toBe(10);
    const first = lines.takeFirst(3);
    expect(namesIn(first)).toEqual(names(0, 3));
    expect(namesIn(lines)).toEqual(names(3, 10));
    expect(lines.count).toBe(7);
    expect(namesIn(lines.takeFirst(6))).toEqual(names(3, 9));
    expect(namesIn(lines)).toEqual(['span 9']);
  });

  it('counts as its lines in the queue, which refuses a run beyond its room and hands runs out in parts', () => {
    const queue = new BoundedEventQueue(10);
    expect(queue.push('span', run(0, 4))).toBe(true);
    expect(queue.push('span', { one: 'event' })).toBe(true);
    const big = run(5, 11);
    expect(queue.push('span', big)).toBe(false); // 6 lines, room for 5
    expect(queue.pushFitting('span', big)).toBe(5);
    expect(namesIn(big)).toEqual(['span 10']); // what did not fit
    expect(queue.pushFitting('span', big)).toBe(0);
    expect(queue.length).toBe(10);
    expect(queue.room).toBe(0);
    expect(namesIn(queue.shift(3) as EncodedLines)).toEqual(names(0, 3));
    expect(queue.length).toBe(7);
    expect(namesIn(queue.shift() as EncodedLines)).toEqual(['span 3']);
    expect(queue.shift(3)).toEqual({ one: 'event' });
    expect(queue.discard(2)).toBe(2);
    expect(queue.length).toBe(3);
    expect(namesIn(queue.headEvent as EncodedLines)).toEqual(names(7, 10));
    expect(queue.push('span', run(20, 27))).toBe(true);
    expect(queue.discard(100)).toBe(10);
    expect(queue.length).toBe(0);
    expect(queue.headEvent).toBeUndefined();
  });
});

describe('the HTTP transport given runs', () => {
  let intake: LocalIntake;
  let transport: HttpTransport | undefined;
  beforeEach(async () => {
    intake = await startLocalIntake();
  });
  afterEach(async () => {
    await transport?.close();
    transport = undefined;
    await intake.close();
  });

  const start = (overrides: Parameters<typeof testConfig>[0]) => {
    const config = testConfig({ serverUrl: intake.url, ...overrides });
    const endpoint = resolveEndpoint(config, recordingLogger());
    if ('problem' in endpoint) throw new Error(endpoint.problem);
    const metadata = { service: { name: 'runs', agent: { name: 'apm-weaver', version: '0.0.0' } } };
    transport = new HttpTransport(config, recordingLogger(), endpoint, { metadata, compressInPlace: true });
    return { transport, metadataBytes: encodeLine('metadata', metadata).length };
  };

  it('queues the lines that fit and drops the rest, counting each line', async () => {
    const { transport } = start({ maxQueueSize: 50 });
    transport.send('span', run(0, 30));
    transport.send('span', run(30, 60));
    transport.send('span', run(60, 70));
    expect(transport.stats).toEqual({ queued: 50, dropped: 20, failed: 0, sent: 0 });
    await transport.flush();
    expect(transport.stats).toEqual({ queued: 50, dropped: 20, failed: 0, sent: 50 });
    expect(intake.dataOf('span').map((s) => s.name)).toEqual(names(0, 50));
  });

  it('ends each request at the line that reaches apiRequestSize, splitting runs there', async () => {
    const apiRequestSize = 3000;
    const { transport, metadataBytes } = start({ apiRequestSize });
    for (let i = 0; i < 200; i += 40) {
      transport.send('span', run(i, i + 40));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await transport.flush();
    expect(transport.stats).toEqual({ queued: 200, dropped: 0, failed: 0, sent: 200 });
    const byRequest = new Map<object, IntakeEvent[]>();
    for (const e of intake.events()) byRequest.set(e.metadata, [...(byRequest.get(e.metadata) ?? []), e]);
    const requests = [...byRequest.values()].map((events) =>
      events.map((e) => Number(String(e.data.name).slice(5))),
    );
    expect(requests.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(requests.length).toBeGreaterThan(10);
    const size = (n: number) => Buffer.byteLength(encodeLine('span', span(n)));
    let full = 0;
    for (const indices of requests) {
      expect(indices).toEqual([...indices].sort((a, b) => a - b));
      const bytes = metadataBytes + indices.reduce((sum, n) => sum + size(n), 0);
      const last = indices[indices.length - 1] as number;
      // Below the limit without its last line; at or past it with it, unless it is the flush's last request.
      expect(bytes - size(last)).toBeLessThan(apiRequestSize);
      if (bytes >= apiRequestSize) full++;
    }
    expect(full).toBeGreaterThanOrEqual(requests.length - 1);
  });

  it("keeps the drain from writing over lines the request holds (the worker's rule for reusing its buffer)", async () => {
    const { transport } = start({ apiRequestTime: 60_000 });
    const capacity = transport.queueRoom;
    const writer = new RingWriter(createRingBuffer(1 << 20));
    const spans = new SpanRecordWriter(writer);
    const released = () => transport.queueRoom === capacity && !transport.holdsLines;
    const drain = new RingDrain(new RingReader(writer.buffer), [], released);
    const ids: string[] = [];
    let held = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 50; i++) {
        const n = round * 50 + i;
        const id = n.toString(16).padStart(16, '0');
        const event = spanOf(
          {
            id,
            transaction: 'abcdefabcdef0123',
            trace: '0123456789abcdef0123456789abcdef',
            timestamp: 1_700_000_000_000_000 + n,
            duration: 0.5,
            sampleRate: 1,
          },
          () => 0, // spanOf draws random values only for what the shape leaves out: nothing here
        );
        expect(spans.write(event)).toBe('written');
        ids.push(id);
      }
      writer.publish();
      expect(drain.drain(transport).taken).toBe(50);
      await new Promise((resolve) => setImmediate(resolve)); // the transport writes them into the open request
      if (transport.holdsLines) held++;
    }
    await transport.flush();
    expect(held).toBeGreaterThan(0); // the case this is about happened
    expect(intake.dataOf('span').map((s) => s.id)).toEqual(ids);
    expect(transport.stats).toEqual({ queued: 1000, dropped: 0, failed: 0, sent: 1000 });
  });
});
