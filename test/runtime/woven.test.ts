import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { currentSegment, runWithin, shared } from '../../runtime/context.js';
import {
  beginTransaction,
  defineSpan,
  endTransaction,
  getSpanId,
  getTransactionId,
  wovenAsyncGenerator,
  wovenCall,
  wovenGenerator,
} from '../../runtime/index.js';
import { expectAllValid, testClient } from './helpers.js';

const isolated = <T>(fn: () => T): T => runWithin(undefined, fn);

describe('defineSpan', () => {
  it('splits a dotted type, defaults to code.custom, keeps labels as tags', () => {
    expect(defineSpan('a')).toMatchObject({
      name: 'a',
      type: 'code',
      subtype: 'custom',
      action: undefined,
      leaf: false,
    });
    expect(
      defineSpan('b', 'db.postgresql.query', { leaf: true, labels: { 'team.x': 'billing' } }),
    ).toMatchObject({
      type: 'db',
      subtype: 'postgresql',
      action: 'query',
      leaf: true,
      context: { tags: { team_x: 'billing' } },
    });
    expect(defineSpan('c', 'db', { subtype: 'redis', action: 'get' })).toMatchObject({
      type: 'db',
      subtype: 'redis',
      action: 'get',
    });
    expect(defineSpan('n'.repeat(2000)).name).toHaveLength(1024);
  });
});

describe('wovenCall', () => {
  it('without a transaction or with an undefined spec: returns body() as is', () => {
    const { transport } = testClient();
    const value = { x: 1 };
    expect(wovenCall(defineSpan('a'), () => value)).toBe(value);
    expect(wovenCall(undefined, () => value)).toBe(value);
    isolated(() => {
      beginTransaction('job');
      expect(wovenCall(undefined, () => value)).toBe(value);
      endTransaction('x');
    });
    expect(transport.spans).toHaveLength(0);
  });

  it('counts open sampled transactions process-wide, so the no-transaction path can skip the context lookup', () => {
    const { client } = testClient();
    const before = shared.recordingTransactions;
    const sampled = client.startTransaction('job');
    const unsampled = client.startTransaction('job', {
      traceParent: '00-12345678901234567890123456789012-1234567890123456-00',
    });
    expect(shared.recordingTransactions).toBe(before + 1);
    sampled?.end();
    sampled?.end();
    unsampled?.end();
    expect(shared.recordingTransactions).toBe(before);
  });

  it('makes the span current inside the body and restores the parent after', () => {
    const { transport } = testClient();
    isolated(() => {
      const tx = beginTransaction('job');
      let inner: string | undefined;
      let nested: string | undefined;
      wovenCall(defineSpan('outer'), () => {
        inner = getSpanId();
        wovenCall(defineSpan('inner'), () => {
          nested = getSpanId();
        });
        expect(getSpanId()).toBe(inner);
      });
      expect(currentSegment()).toBe(tx);
      endTransaction('x');
      const [innerSpan, outerSpan] = transport.spans;
      expect(outerSpan).toMatchObject({
        name: 'outer',
        id: inner,
        parent_id: tx?.id,
        transaction_id: tx?.id,
        type: 'code',
        subtype: 'custom',
        outcome: 'success',
      });
      expect(innerSpan).toMatchObject({ name: 'inner', id: nested, parent_id: inner });
      expect(Number.isInteger(outerSpan?.timestamp)).toBe(true);
    });
    expectAllValid(transport);
  });

  it('a sync throw sets failure, ends the span and rethrows the same value', () => {
    const { transport } = testClient();
    const boom = { not: 'an error' };
    isolated(() => {
      beginTransaction('job');
      let caught: unknown;
      try {
        wovenCall(defineSpan('throws'), () => {
          throw boom;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(boom);
      expect(getSpanId()).toBeUndefined();
      endTransaction('x');
    });
    expect(transport.spans[0]).toMatchObject({ name: 'throws', outcome: 'failure' });
    expectAllValid(transport);
  });

  it('a returned promise is returned itself, and the span ends when it settles', async () => {
    const { transport } = testClient();
    await isolated(async () => {
      beginTransaction('job');
      const ok = Promise.resolve(1);
      const returned = wovenCall(defineSpan('async ok'), () => ok);
      expect(returned).toBe(ok);
      const failing = wovenCall(defineSpan('async fail'), async () => {
        await sleep(5);
        throw new Error('nope');
      });
      expect(transport.spans).toHaveLength(0);
      await expect(failing).rejects.toThrow('nope');
      await returned;
      endTransaction('x');
    });
    expect(transport.spans.map((s) => [s.name, s.outcome])).toEqual([
      ['async ok', 'success'],
      ['async fail', 'failure'],
    ]);
    expect(transport.spans[1]?.duration as number).toBeGreaterThan(0);
    expectAllValid(transport);
  });

  it('a thenable is treated as a promise and returned as is', async () => {
    const { transport } = testClient();
    await isolated(async () => {
      beginTransaction('job');
      let settle: (v: number) => void = () => {};
      const thenable = {
        // biome-ignore lint/suspicious/noThenProperty: a thenable is the point of this test
        then: (resolve: (v: number) => void) => {
          settle = resolve;
        },
      };
      expect(wovenCall(defineSpan('thenable'), () => thenable)).toBe(thenable);
      expect(transport.spans).toHaveLength(0);
      settle(3);
      expect(transport.spans).toHaveLength(1);
      endTransaction('x');
    });
    expectAllValid(transport);
  });

  it('the body keeps its span across await and timers', async () => {
    const { transport } = testClient();
    await isolated(async () => {
      beginTransaction('job');
      const seen: (string | undefined)[] = [];
      await wovenCall(defineSpan('awaits'), async () => {
        const mine = getSpanId();
        await sleep(1);
        seen.push(getSpanId() === mine ? 'ok' : 'lost');
        await new Promise<void>((resolve) =>
          setTimeout(() => {
            seen.push(getSpanId() === mine ? 'ok' : 'lost');
            resolve();
          }, 1),
        );
        setImmediate(() => seen.push(getSpanId() === mine ? 'ok' : 'lost'));
        await sleep(2);
      });
      expect(seen).toEqual(['ok', 'ok', 'ok']);
      endTransaction('x');
    });
    expectAllValid(transport);
  });

  it('leaf spans record no children', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction('job');
      wovenCall(defineSpan('leaf', 'db.redis.get', { leaf: true }), () => {
        expect(wovenCall(defineSpan('hidden'), () => 1)).toBe(1);
      });
      endTransaction('x');
    });
    expect(transport.spans.map((s) => s.name)).toEqual(['leaf']);
    expectAllValid(transport);
  });

  it('after the transaction ended, woven calls create nothing', () => {
    const { transport, client } = testClient();
    isolated(() => {
      const tx = client.startTransaction('job');
      runWithin(tx, () => {
        tx?.end();
        expect(wovenCall(defineSpan('late'), () => 2)).toBe(2);
      });
    });
    expect(transport.spans).toHaveLength(0);
  });
});

describe('concurrent transactions', () => {
  it("interleaved async transactions never see each other's spans", async () => {
    const { transport } = testClient();
    const step = defineSpan('step');
    async function job(name: string, delays: number[]) {
      beginTransaction('job');
      const txId = getTransactionId();
      for (const delay of delays) {
        await wovenCall(step, async () => {
          await sleep(delay);
          expect(getTransactionId()).toBe(txId);
        });
        expect(getTransactionId()).toBe(txId);
      }
      endTransaction(name);
    }
    await isolated(() =>
      Promise.all([
        runWithin(undefined, () => job('a', [5, 1, 3, 1])),
        runWithin(undefined, () => job('b', [1, 4, 1, 2])),
        runWithin(undefined, () => job('c', [2, 2, 2, 2])),
      ]),
    );
    expect(transport.transactions).toHaveLength(3);
    for (const tx of transport.transactions) {
      const spans = transport.spans.filter((s) => s.transaction_id === tx.id);
      expect(spans).toHaveLength(4);
      expect(spans.every((s) => s.parent_id === tx.id && s.trace_id === tx.trace_id)).toBe(true);
      expect(tx.span_count).toEqual({ started: 4, dropped: 0 });
    }
    expectAllValid(transport);
  });

  it('async functions that begin transactions without an explicit scope keep them apart too', async () => {
    const { transport } = testClient();
    const step = defineSpan('step');
    const seen = new Map<string, Set<string | undefined>>();
    async function job(name: string) {
      beginTransaction('job');
      const ids = new Set<string | undefined>();
      seen.set(name, ids);
      for (let i = 0; i < 3; i++) {
        await wovenCall(step, async () => {
          await sleep(1 + ((i + name.length) % 3));
          ids.add(getTransactionId());
        });
      }
      endTransaction(name);
    }
    await isolated(() => Promise.all([job('one'), job('three')]));
    expect(seen.get('one')?.size).toBe(1);
    expect(seen.get('three')?.size).toBe(1);
    expect([...(seen.get('one') ?? [])][0]).not.toBe([...(seen.get('three') ?? [])][0]);
    expect(transport.spans).toHaveLength(6);
  });
});

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
