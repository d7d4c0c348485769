// The small parts of the transport: backoff schedule, bounded queue, line encoding, server replies.
import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../runtime/transport/backoff.js';
import { encodeLine } from '../../runtime/transport/encode.js';
import { BoundedEventQueue } from '../../runtime/transport/queue.js';
import { describeRejection } from '../../runtime/transport/server-reply.js';

describe('backoffDelayMs', () => {
  it('follows min(n, 6)^2 seconds, starting at 0', () => {
    const none = () => 0.5; // jitter term is zero at the midpoint
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelayMs(n, 1000, none))).toEqual([
      0, 1000, 4000, 9000, 16000, 25000, 36000, 36000, 36000,
    ]);
  });
  it('jitters by at most ±10%', () => {
    expect(backoffDelayMs(3, 1000, () => 0)).toBe(8100);
    expect(backoffDelayMs(3, 1000, () => 0.999999)).toBe(9900);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(6, 1000);
      expect(d).toBeGreaterThanOrEqual(32400);
      expect(d).toBeLessThanOrEqual(39600);
    }
  });
});

describe('BoundedEventQueue', () => {
  it('refuses beyond capacity and hands events out oldest first, across the wrap', () => {
    const q = new BoundedEventQueue(3);
    expect([1, 2, 3, 4].map((n) => q.push('span', { n }))).toEqual([true, true, true, false]);
    const seen: unknown[] = [q.shift(), q.shift()];
    expect(q.push('error', { n: 5 })).toBe(true);
    expect(q.push('span', { n: 6 })).toBe(true);
    expect(q.push('span', { n: 7 })).toBe(false);
    expect(q.discard(1)).toBe(1);
    while (q.length > 0) seen.push([q.headKind, q.shift()]);
    expect(seen).toEqual([{ n: 1 }, { n: 2 }, ['error', { n: 5 }], ['span', { n: 6 }]]);
    expect(q.headEvent).toBeUndefined();
  });
});

describe('encodeLine', () => {
  it('wraps the event under its kind, one line', () => {
    expect(encodeLine('span', { a: 'x\ny' })).toBe('{"span":{"a":"x\\ny"}}\n');
    expect(JSON.parse(encodeLine('metadata', { service: {} }))).toEqual({ metadata: { service: {} } });
  });
  it('throws for what JSON cannot carry', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeLine('span', cyclic)).toThrow();
    expect(() => encodeLine('span', (() => 1) as unknown as object)).toThrow();
  });
});

describe('describeRejection', () => {
  it('uses the messages of an APM Server error body', () => {
    expect(
      describeRejection(400, '{"accepted":1,"errors":[{"message":"a"},{"message":"b","document":"{}"}]}'),
    ).toBe('APM Server answered 400: a; b');
    expect(describeRejection(503, '{"error":"queue is full"}')).toBe(
      'APM Server answered 503: queue is full',
    );
  });
  it('keeps other text as sent, bounded', () => {
    expect(describeRejection(502, ' Bad Gateway ')).toBe('APM Server answered 502: Bad Gateway');
    expect(describeRejection(500, '')).toBe('APM Server answered 500');
    expect(describeRejection(500, 'x'.repeat(2000)).length).toBeLessThan(600);
  });
});

describe('onBeforeExit', () => {
  it('shares one process listener among many transports and removes it with the last', async () => {
    const { onBeforeExit } = await import('../../runtime/transport/exit-hook.js');
    const before = process.listenerCount('beforeExit');
    const calls: number[] = [];
    const stops = Array.from({ length: 20 }, (_, i) => onBeforeExit(() => calls.push(i)));
    expect(process.listenerCount('beforeExit')).toBe(before + 1);
    process.emit('beforeExit', 0);
    expect(calls).toHaveLength(20);
    for (const stop of stops) stop();
    expect(process.listenerCount('beforeExit')).toBe(before);
  });
});
