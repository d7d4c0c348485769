import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  beginTransaction,
  defineSpan,
  endTransaction,
  getSpanId,
  wovenAsyncGenerator,
  wovenGenerator,
} from '../../runtime/index.js';
import { expectAllValid, isolated, testClient } from './helpers.js';

describe('generators', () => {
  function* counter(limit: number) {
    for (let i = 0; i < limit; i++) yield getSpanId();
    return 'done';
  }

  it('without a transaction the iterator itself is returned', () => {
    testClient();
    const it = counter(1);
    expect(wovenGenerator(defineSpan('g'), it)).toBe(it);
  });

  it('one span for the generator life, current in each step, ended when done', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction('job');
      const spec = defineSpan('gen');
      function* woven() {
        return yield* wovenGenerator(spec, counter(3));
      }
      const it = woven();
      const first = it.next();
      expect(transport.spans).toHaveLength(0);
      expect(getSpanId()).toBeUndefined();
      const rest = [...{ [Symbol.iterator]: () => it }];
      expect(transport.spans).toHaveLength(1);
      expect([first.value, ...rest]).toEqual([
        transport.spans[0]?.id,
        transport.spans[0]?.id,
        transport.spans[0]?.id,
      ]);
      endTransaction('x');
    });
    expect(transport.spans[0]).toMatchObject({ name: 'gen', outcome: 'success' });
    expectAllValid(transport);
  });

  it('return() and throw() end the span (throw = failure)', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction('job');
      const a = wovenGenerator(defineSpan('returned'), counter(5));
      a.next();
      expect(a.return('early')).toEqual({ value: 'early', done: true });
      const b = wovenGenerator(defineSpan('thrown'), counter(5));
      b.next();
      expect(() => b.throw(new Error('stop'))).toThrow('stop');
      endTransaction('x');
    });
    expect(transport.spans.map((s) => [s.name, s.outcome])).toEqual([
      ['returned', 'success'],
      ['thrown', 'failure'],
    ]);
  });

  it('async generators: span across awaits, rejection = failure, same promises as the generator', async () => {
    const { transport } = testClient();
    async function* ticks(n: number, failAt = -1) {
      for (let i = 0; i < n; i++) {
        await sleep(1);
        if (i === failAt) throw new Error('tick failed');
        yield getSpanId();
      }
    }
    await isolated(async () => {
      beginTransaction('job');
      const spec = defineSpan('agen');
      async function* woven() {
        return yield* wovenAsyncGenerator(spec, ticks(3));
      }
      const ids: (string | undefined)[] = [];
      for await (const id of woven()) ids.push(id);
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).toBe(transport.spans[0]?.id);
      const failing = wovenAsyncGenerator(defineSpan('agen fail'), ticks(3, 1));
      await failing.next();
      await expect(failing.next()).rejects.toThrow('tick failed');
      endTransaction('x');
    });
    expect(transport.spans.map((s) => [s.name, s.outcome])).toEqual([
      ['agen', 'success'],
      ['agen fail', 'failure'],
    ]);
    expectAllValid(transport);
  });
});
