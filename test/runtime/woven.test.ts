import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { currentSegment, runWithin, shared } from '../../runtime/context.js';
import { beginTransaction, defineSpan, endTransaction, getSpanId, wovenCall } from '../../runtime/index.js';
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
