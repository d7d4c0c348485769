// span-deflate.ts: gzip members of the transport worker's span lines, written from the drain's hints without a
// search. Every member must read back through zlib as exactly the bytes the worker wrote, for any span it can write;
// members must stay near zlib level 1's size (and far below it without the hints); pieces it does not suit (error
// lines, many lines without hints, bytes that are not whole lines of a hinted buffer) are left to zlib.
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { codeLengths, isCompleteCode, spanCodes } from '../../runtime/transport/deflate-codes.js';
import { hintsOf, type LineHints } from '../../runtime/transport/line-hints.js';
import { SpanDeflater, spanDeflateAvailable } from '../../runtime/transport/span-deflate.js';
import { ID_AT, PARENT_AT, TRANSACTION_AT } from '../../runtime/transport/worker-span-parts.js';
import {
  collectingGzip,
  drainRuns,
  errorOf,
  expectedText,
  type FeedEvent,
  hex,
  piece,
  RingFeed,
  random,
  randomSpans,
  spanMembersIn,
  spanOf,
  transactionOf,
} from './span-deflate-fixtures.js';

/** Drains `events` through a ring as the worker does; returns the one run's bytes (asserted equal to the lines). */
function written(events: readonly FeedEvent[]): Buffer {
  const feed = new RingFeed();
  feed.writeAll(events);
  const runs = drainRuns(feed.drain());
  expect(runs).toHaveLength(1);
  const bytes = piece(runs[0] as (typeof runs)[0]);
  expect(bytes.toString('utf8')).toBe(expectedText(events));
  return bytes;
}

/** The member span-deflate writes for `bytes`, asserted to read back as them. */
function member(bytes: Buffer, deflater = new SpanDeflater()): Buffer {
  const out = deflater.member(bytes);
  expect(out).toBeDefined();
  expect(gunzipSync(out as Buffer).equals(bytes)).toBe(true);
  return out as Buffer;
}

/** Spans as a busy woven function makes them: one transaction, two names, parent the transaction, rate 1. */
function benchLikeSpans(count: number, seed = 3): FeedEvent[] {
  const next = random(seed);
  const transaction = hex(next, 16);
  const trace = hex(next, 32);
  let timestamp = 1_764_100_012_345_678;
  return Array.from({ length: count }, (_, i) => {
    timestamp += Math.floor(next() * 3);
    const name = i % 7 === 0 ? 'waitFor' : 'work';
    return { kind: 'span', event: spanOf({ transaction, trace, name, timestamp, sampleRate: 1 }, next) };
  });
}

describe('span-deflate', () => {
  it('has complete codes of at most 15 bits, and Node has zlib.crc32', () => {
    expect(spanCodes().valid).toBe(true);
    expect(isCompleteCode(Array.from(spanCodes().literalBits), 15)).toBe(true);
    expect(spanDeflateAvailable()).toBe(true);
    // Weights that make plain Huffman codes 40 bits deep are limited to 15 and stay complete.
    const fibonacci = [1, 1];
    while (fibonacci.length < 40) fibonacci.push((fibonacci.at(-1) as number) + (fibonacci.at(-2) as number));
    const lengths = codeLengths(fibonacci, 15);
    expect(Math.max(...lengths)).toBe(15);
    expect(isCompleteCode(lengths, 15)).toBe(true);
    expect(isCompleteCode([1, 2, 2, 2], 15)).toBe(false); // over-subscribed
    expect(isCompleteCode([1, 2], 15)).toBe(false); // incomplete
  });

  it('reads back as the lines written, for random spans of every shape', () => {
    for (const seed of [1, 2, 3]) {
      const bytes = written(randomSpans(seed, 3000));
      const out = member(bytes);
      // Random names, parents and rates: still a fraction of the input.
      expect(out.length).toBeLessThan(bytes.length / 4);
    }
  });

  it('gives equal content ids to equal bytes only (the hints span-deflate trusts without comparing)', () => {
    const bytes = written(randomSpans(6, 3000));
    const hints = hintsOf(bytes) as LineHints;
    const heads = new Map<number, string>();
    const tails = new Map<number, string>();
    let withHead = 0;
    for (let line = 0, start = 0; line < hints.count; line++) {
      const end = hints.ends[line] as number;
      const text = bytes.subarray(start, end);
      const tail = text.subarray(text.length - ((hints.info[line] as number) >>> 1)).toString('latin1');
      const tailId = hints.tailIds[line] as number;
      expect(tails.get(tailId) ?? tail).toBe(tail);
      tails.set(tailId, tail);
      const headId = hints.headIds[line] as number;
      if (headId !== 0) {
        withHead++;
        // The head up to the timestamp's last eight digits, the span's own id (and a written parent) left out.
        const head = Buffer.from(text.subarray(0, (hints.durationAt[line] as number) - 20));
        head.fill('-', ID_AT, ID_AT + 16);
        if (((hints.info[line] as number) & 1) === 1) head.fill('-', PARENT_AT, PARENT_AT + 16);
        else
          expect(head.toString('latin1', PARENT_AT, PARENT_AT + 16)).toBe(
            head.toString('latin1', TRANSACTION_AT, TRANSACTION_AT + 16),
          );
        head.fill('-', PARENT_AT, PARENT_AT + 16);
        const key = head.toString('latin1');
        expect(heads.get(headId) ?? key).toBe(key);
        heads.set(headId, key);
      }
      start = end;
    }
    expect(withHead).toBeGreaterThan(2900); // all but the timestamps that are not 16-digit integers
    expect(heads.size).toBeGreaterThan(100);
  });

  it('is near zlib level 1 in size for a busy function, and far from it when the hints are ignored', () => {
    const bytes = written(benchLikeSpans(2048));
    const out = member(bytes);
    const perLine = out.length / 2048;
    expect(perLine).toBeLessThan(24);
    expect(out.length).toBeLessThan(1.5 * gzipSync(bytes, { level: 1 }).length);
    const blind = new SpanDeflater();
    blind.literalsOnly = true;
    expect(member(bytes, blind).length).toBeGreaterThan(8 * out.length);
  });

  it('matches heads that alternate (A, B, A, B), parents shared by siblings, and a head unseen for over 32 KiB', () => {
    const next = random(5);
    const transaction = hex(next, 16);
    const trace = hex(next, 32);
    const sibling = hex(next, 16);
    let timestamp = 1_764_100_000_000_000;
    const span = (name: string, parent?: string, outcome?: string): FeedEvent => {
      timestamp += 7;
      return { kind: 'span', event: spanOf({ transaction, trace, name, parent, outcome, timestamp }, next) };
    };
    const alternating = Array.from({ length: 2000 }, (_, i) =>
      span(i % 2 === 0 ? 'A' : 'B', i % 4 < 2 ? sibling : undefined),
    );
    const bytes = written(alternating);
    // Heads are known by their bytes: A's lines share an id, B's another, however often the head was rebuilt.
    const heads = (hintsOf(bytes) as LineHints).headIds;
    expect(heads[0]).not.toBe(heads[1]);
    expect([heads[2], heads[1998], heads[3], heads[1999]]).toEqual([heads[0], heads[0], heads[1], heads[1]]);
    expect(member(bytes).length).toBeLessThan(1.5 * gzipSync(bytes, { level: 1 }).length);
    // A and its tail, then ~100 KiB of B, then A again: the first A is beyond a match's reach.
    const far = [
      span('A', undefined, 'unknown'),
      ...Array.from({ length: 400 }, () => span('B')),
      span('A', undefined, 'unknown'),
    ];
    member(written(far));
  });

  it('codes a few transaction lines inside a span piece itself, and leaves error lines and many others to zlib', () => {
    const next = random(9);
    const spans = benchLikeSpans(2000);
    const transaction = transactionOf(hex(next, 16), hex(next, 32), 1_764_100_000_000_000);
    const withTransaction = [
      ...spans.slice(0, 1000),
      { kind: 'transaction', event: transaction },
      ...spans.slice(1000),
    ];
    member(written(withTransaction as FeedEvent[]));

    const error = errorOf(hex(next, 16), hex(next, 32), hex(next, 16), 1_764_100_000_000_000);
    const withError = [
      ...spans.slice(0, 1000),
      { kind: 'error', event: error },
      ...spans.slice(1000),
    ] as FeedEvent[];
    const bytes = written(withError);
    expect(new SpanDeflater().member(bytes)).toBeUndefined();
    const manyTransactions = spans.flatMap((span, i) =>
      i % 5 === 0 ? [span, { kind: 'transaction', event: transaction } as FeedEvent] : [span],
    );
    expect(new SpanDeflater().member(written(manyTransactions))).toBeUndefined();

    // Through GzipMembers: zlib's member for the piece with the error line, still compressed and read back whole.
    const { gzip, body: bodyOf } = collectingGzip();
    gzip.write(bytes, false);
    gzip.flush();
    const body = bodyOf();
    expect(gunzipSync(body).equals(bytes)).toBe(true);
    expect(spanMembersIn(body)).toBe(0);
    expect(body.length).toBeLessThan(bytes.length / 5);
  });

  it('keeps the hints of every line when a buffer holds more lines than its first array of line ends', () => {
    const bytes = written(benchLikeSpans(6000)); // the drain starts with room for 4096 line ends
    expect((hintsOf(bytes) as LineHints).count).toBe(6000);
    expect(member(bytes).length / 6000).toBeLessThan(24);
  });

  it('leaves to zlib what is not whole lines of a buffer with hints', () => {
    const bytes = written(benchLikeSpans(100));
    const deflater = new SpanDeflater();
    expect(deflater.member(bytes.subarray(10))).toBeUndefined(); // starts inside a line
    expect(deflater.member(bytes.subarray(0, bytes.length - 1))).toBeUndefined(); // ends inside one
    expect(deflater.member(Buffer.from(bytes))).toBeUndefined(); // a copy: no hints
    member(bytes.subarray(0, bytes.indexOf('\n') + 1)); // one whole line
  });

  it('is what GzipMembers sends for held span lines, pieces merged as they come', () => {
    const bytes = written(randomSpans(4, 2000));
    const { gzip, body: bodyOf } = collectingGzip();
    gzip.write(Buffer.from('{"metadata":{}}\n'), true);
    // As batch-encoder.ts hands a run on: pieces side by side, cut at line ends.
    let start = 0;
    for (let cut = 0; cut < 5; cut++) {
      const end = cut === 4 ? bytes.length : bytes.indexOf('\n', start + 50_000) + 1;
      gzip.write(bytes.subarray(start, end), false);
      start = end;
    }
    gzip.flush();
    const body = bodyOf();
    expect(spanMembersIn(body)).toBe(1);
    expect(gunzipSync(body).toString('utf8')).toBe(`{"metadata":{}}\n${bytes.toString('utf8')}`);
  });
});
