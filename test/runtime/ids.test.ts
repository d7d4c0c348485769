// Random ids (runtime/ids.ts): lowercase hex of the W3C lengths, a span id's characters also in the pool's words
// (what the transport worker's span record copies), and never all zeros: zero random bytes are passed over.
import { describe, expect, it } from 'vitest';
import { poolWords, spanId, spanIdAt, takeSpanId, traceId } from '../../runtime/ids.js';

describe('ids', () => {
  it('are lowercase hex of 16 and 32 characters, all different', () => {
    const spans = new Set<string>();
    const traces = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const span = spanId();
      const trace = traceId();
      expect(span).toMatch(/^[0-9a-f]{16}$/);
      expect(trace).toMatch(/^[0-9a-f]{32}$/);
      spans.add(span);
      traces.add(trace);
    }
    expect(spans.size).toBe(5000);
    expect(traces.size).toBe(5000);
  });

  it("keeps a taken span id's characters in the pool's words until the next id", () => {
    for (let i = 0; i < 3000; i++) {
      const at = takeSpanId();
      const words = Buffer.from(poolWords.buffer, poolWords.byteOffset + at, 16).toString('latin1');
      expect(words).toBe(spanIdAt(at));
    }
  });

  it('never are all zeros: random bytes that are zero are passed over', () => {
    const crypto = process.getBuiltinModule('node:crypto');
    const real = crypto.randomFillSync;
    let drawn: Buffer | undefined;
    // The next pool: a zero span id's worth of bytes, then random ones, then a zero trace id's worth.
    crypto.randomFillSync = ((buffer: Buffer) => {
      real(buffer);
      if (drawn === undefined) {
        buffer.fill(0, 0, 8);
        buffer.fill(0, 16, 32);
        drawn = Buffer.from(buffer);
      }
      return buffer;
    }) as typeof crypto.randomFillSync;
    try {
      let last = '';
      while (drawn === undefined) last = spanId(); // uses up the pool in use: the last id is from the next one
      const pool = drawn as Buffer;
      expect(last).toBe(pool.toString('hex', 8, 16));
      expect(traceId()).toBe(pool.toString('hex', 32, 48));
      expect(spanId()).toBe(pool.toString('hex', 48, 56));
    } finally {
      crypto.randomFillSync = real;
    }
  });
});
