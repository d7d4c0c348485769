// Assembly and rendering must survive whatever arrives: random shapes, wrong types, odd numbers.
import { describe, expect, it } from 'vitest';
import { buildWaterfall, renderTraceText, TraceStore } from '../../server/waterfall/index.js';

/** A small deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('hostile and malformed events', () => {
  it('never throws while assembling and rendering random events', () => {
    const next = random(20261125);
    const pick = <T>(values: T[]): T => values[Math.floor(next() * values.length)]!;
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const anything = () =>
      pick<unknown>([
        undefined,
        null,
        pick(ids),
        -1,
        0,
        Number.MAX_VALUE,
        1e16,
        '\u001b[31m<script>x</script>',
        [],
        {},
        { nested: true },
        true,
      ]);
    const store = new TraceStore({ maxTraces: 5, maxItemsPerTrace: 50 });
    for (let i = 0; i < 3000; i++) {
      const data: Record<string, unknown> = {};
      for (const key of [
        'id',
        'trace_id',
        'parent_id',
        'transaction_id',
        'name',
        'type',
        'subtype',
        'action',
        'duration',
        'timestamp',
        'start',
        'outcome',
        'exception',
        'log',
        'context',
      ]) {
        if (next() < 0.6) data[key] = key.endsWith('id') && next() < 0.7 ? pick(ids) : anything();
      }
      if (next() < 0.2)
        data.exception = { message: anything(), type: anything(), stacktrace: [anything(), {}] };
      store.add({
        kind: pick(['transaction', 'span', 'error', 'metricset', 'log', 'bogus']),
        data,
        metadata: next() < 0.5 ? { service: { name: anything() } } : {},
        receivedAt: pick([0, Date.now(), Number.NaN]),
      });
    }
    expect(store.size).toBeGreaterThan(0);
    for (const trace of store.list()) {
      const waterfall = buildWaterfall(trace);
      const text = renderTraceText(waterfall, { color: true });
      expect(text).not.toContain('\u001b[31m<script>');
      expect(JSON.parse(JSON.stringify(waterfall)).traceId).toBe(trace.traceId);
      expect(waterfall.rows.length).toBe(trace.items.size);
    }
  });
});
