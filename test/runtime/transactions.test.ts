import { describe, expect, it } from 'vitest';
import { runWithin } from '../../runtime/context.js';
import {
  beginTransaction,
  defineSpan,
  endTransaction,
  getSpanId,
  getTraceId,
  getTransactionId,
  label,
  OUTCOME,
  setCustomContext,
  setTransactionName,
  setTransactionOutcome,
  setTransactionResult,
  setUserContext,
  wovenCall,
} from '../../runtime/index.js';
import { expectAllValid, HEX16, HEX32, testClient } from './helpers.js';

/** Runs `fn` in an async context of its own, so begin/endTransaction never leak between tests. */
const isolated = <T>(fn: () => T): T => runWithin(undefined, fn);

describe('begin/endTransaction', () => {
  it('reports a transaction with ids, integer µs timestamp, ms duration and span_count', () => {
    const { transport } = testClient();
    const before = Date.now() * 1000;
    isolated(() => {
      const tx = beginTransaction('job');
      expect(getTransactionId()).toBe(tx?.id);
      expect(getTraceId()).toBe(tx?.traceId);
      expect(getSpanId()).toBeUndefined();
      endTransaction('nightly', 'ok');
      expect(getTransactionId()).toBeUndefined();
    });
    const [tx] = transport.transactions;
    expect(tx).toMatchObject({
      name: 'nightly',
      result: 'ok',
      type: 'job',
      outcome: 'success',
      sampled: true,
    });
    expect(tx?.id).toMatch(HEX16);
    expect(tx?.trace_id).toMatch(HEX32);
    expect(Number.isInteger(tx?.timestamp)).toBe(true);
    expect(tx?.timestamp as number).toBeGreaterThanOrEqual(before - 1000);
    expect(tx?.timestamp as number).toBeLessThanOrEqual(Date.now() * 1000 + 1000);
    expect(typeof tx?.duration).toBe('number');
    expect(tx?.span_count).toEqual({ started: 0, dropped: 0 });
    expectAllValid(transport);
  });

  it('name and result fall back to setTransactionName/Result; override: false keeps the first', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction();
      setTransactionName('first');
      setTransactionName('second', { override: false });
      setTransactionResult('r1');
      setTransactionResult('r2', { override: false });
      endTransaction();
      beginTransaction('t');
      setTransactionName('set');
      endTransaction('given');
    });
    expect(transport.transactions[0]).toMatchObject({ name: 'first', result: 'r1', type: 'custom' });
    expect(transport.transactions[1]).toMatchObject({ name: 'given' });
    expectAllValid(transport);
  });

  it('outcome: user value wins, status code decides, errors make failure, invalid is ignored', () => {
    const { transport, client, warnings } = testClient();
    isolated(() => {
      beginTransaction('request');
      setTransactionOutcome(undefined, { httpStatusCode: 503 });
      endTransaction('a');
      beginTransaction('request');
      setTransactionOutcome(undefined, { httpStatusCode: '404' });
      setTransactionOutcome(OUTCOME.FAILURE, { override: false });
      endTransaction('b');
      beginTransaction('job');
      client.captureException(new Error('x'));
      endTransaction('c');
      beginTransaction('job');
      client.captureException(new Error('x'));
      setTransactionOutcome(OUTCOME.SUCCESS);
      setTransactionOutcome('bad' as never);
      endTransaction('d');
    });
    const outcomes = transport.transactions.map((t) => [t.name, t.outcome]);
    expect(outcomes).toEqual([
      ['a', 'failure'],
      ['b', 'success'],
      ['c', 'failure'],
      ['d', 'success'],
    ]);
    expect(warnings.some((w) => w.includes('bad'))).toBe(true);
    expectAllValid(transport);
  });

  it('API functions are no-ops without a transaction or a client', () => {
    testClient();
    isolated(() => {
      expect(() => {
        setTransactionName('x');
        setTransactionResult('x');
        setTransactionOutcome('success');
        setCustomContext({ a: 1 });
        setUserContext({ username: 'u' });
        label({ a: 1 });
      }).not.toThrow();
      expect(endTransaction()).toBeUndefined();
      expect(getTransactionId()).toBeUndefined();
    });
  });

  it('junk arguments give a valid transaction, never a throw', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction({} as never, {
        traceParent: 42 as never,
        links: 'x' as never,
        start: 'soon' as never,
      });
      endTransaction(7 as never, null as never);
      beginTransaction(undefined, { traceParent: 'not a traceparent' });
      endTransaction();
    });
    expect(transport.transactions.map((t) => [t.type, t.name, t.result])).toEqual([
      ['custom', '7', undefined],
      ['custom', 'unnamed', undefined],
    ]);
    expectAllValid(transport);
  });

  it('sample rate 0: unsampled, sample_rate 0, es=s:0, no spans, no context', () => {
    const { transport } = testClient({ transactionSampleRate: 0 });
    isolated(() => {
      const tx = beginTransaction('job');
      expect(tx?.tracestate).toBe('es=s:0');
      label({ a: 1 });
      expect(wovenCall(defineSpan('s'), () => 'v')).toBe('v');
      endTransaction('x');
    });
    expect(transport.transactions[0]).toMatchObject({
      sampled: false,
      sample_rate: 0,
      span_count: { started: 0 },
    });
    expect(transport.transactions[0]?.context).toBeUndefined();
    expect(transport.spans).toHaveLength(0);
    expectAllValid(transport);
  });

  it('a fractional sample rate samples some and records the rate on sampled ones', () => {
    const { transport } = testClient({ transactionSampleRate: 0.5 });
    isolated(() => {
      for (let i = 0; i < 200; i++) {
        beginTransaction('job');
        endTransaction('x');
      }
    });
    const sampled = transport.transactions.filter((t) => t.sampled);
    expect(sampled.length).toBeGreaterThan(0);
    expect(sampled.length).toBeLessThan(200);
    expect(new Set(sampled.map((t) => t.sample_rate))).toEqual(new Set([0.5]));
    expect(new Set(transport.transactions.filter((t) => !t.sampled).map((t) => t.sample_rate))).toEqual(
      new Set([0]),
    );
  });

  it('transactionMaxSpans: spans beyond the limit are dropped and counted', () => {
    const { transport } = testClient({ transactionMaxSpans: 3 });
    const spec = defineSpan('s');
    isolated(() => {
      beginTransaction('job');
      for (let i = 0; i < 5; i++) wovenCall(spec, () => i);
      endTransaction('x');
    });
    expect(transport.spans).toHaveLength(3);
    expect(transport.transactions[0]?.span_count).toEqual({ started: 3, dropped: 2 });
    expectAllValid(transport);
  });

  it('ids are unique across many spans', () => {
    const { transport } = testClient({ transactionMaxSpans: -1 });
    const spec = defineSpan('s');
    isolated(() => {
      beginTransaction('job');
      for (let i = 0; i < 3000; i++) wovenCall(spec, () => i);
      endTransaction('x');
    });
    const ids = transport.spans.map((s) => s.id as string);
    expect(ids).toHaveLength(3000);
    expect(new Set(ids).size).toBe(3000);
    expect(ids.every((id) => HEX16.test(id))).toBe(true);
  });
});

describe('context and labels', () => {
  it('labels: dict.update semantics, keys sanitised, bad values dropped with a warning', () => {
    const { transport, warnings } = testClient();
    isolated(() => {
      beginTransaction('job');
      label({ 'a.b': 1, 'c*d': 'x', 'e"f': true, keep: 'old' });
      label({
        keep: 'new',
        obj: {} as never,
        nul: null as never,
        arr: [1] as never,
        nan: Number.NaN,
        fn: (() => 1) as never,
      });
      label({ long: 'x'.repeat(2000) });
      endTransaction('x');
    });
    const tags = (transport.transactions[0]!.context as { tags: Record<string, unknown> }).tags;
    expect(Object.keys(tags).sort()).toEqual(['a_b', 'c_d', 'e_f', 'keep', 'long']);
    expect(tags.keep).toBe('new');
    expect(tags.long).toHaveLength(1024);
    expect((tags.long as string).endsWith('…')).toBe(true);
    for (const bad of ['obj', 'nul', 'arr', 'nan', 'fn'])
      expect(warnings.some((w) => w.includes(`"${bad}"`))).toBe(true);
    expectAllValid(transport);
  });

  it('custom context merges, survives cycles and huge values, and is a snapshot', () => {
    const { transport } = testClient();
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const huge = { big: 'y'.repeat(50_000), many: Array.from({ length: 10_000 }, (_, i) => i) };
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 100; i++) cursor = cursor.next = {} as Record<string, unknown>;
    const throwing = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get: () => {
        throw new Error('getter');
      },
    });
    isolated(() => {
      beginTransaction('job');
      setCustomContext({ a: 1, circular });
      setCustomContext({
        b: 2n as never,
        huge,
        deep,
        throwing,
        when: new Date(0),
        sym: Symbol('s') as never,
      });
      circular.name = 'changed later';
      endTransaction('x');
    });
    const custom = (transport.transactions[0]!.context as { custom: Record<string, any> }).custom;
    expect(custom.a).toBe(1);
    expect(custom.b).toBe('2');
    expect(custom.circular).toEqual({ name: 'loop', self: '[Circular]' });
    expect(custom.huge.big).toHaveLength(10_000);
    expect(custom.huge.many.length).toBeLessThanOrEqual(201);
    expect(custom.throwing).toEqual({ boom: '[Throws]' });
    expect(custom.when).toBe('1970-01-01T00:00:00.000Z');
    expect(JSON.stringify(custom).length).toBeLessThan(200_000);
    expectAllValid(transport);
  });

  it('user context: only given fields change; values truncated', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction('job');
      setUserContext({ username: 'ann', userId: 42 });
      setUserContext({ email: `${'e'.repeat(2000)}@x` });
      endTransaction('x');
    });
    const user = (transport.transactions[0]!.context as { user: Record<string, unknown> }).user;
    expect(user.username).toBe('ann');
    expect(user.id).toBe(42);
    expect(user.email).toHaveLength(1024);
    expectAllValid(transport);
  });

  it('truncates long transaction names, types and results to 1024 with an ellipsis', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction('t'.repeat(3000));
      endTransaction('n'.repeat(3000), 'r'.repeat(3000));
    });
    const tx = transport.transactions[0]!;
    for (const key of ['name', 'type', 'result']) {
      expect((tx[key] as string).length).toBe(1024);
      expect((tx[key] as string).endsWith('…')).toBe(true);
    }
    expectAllValid(transport);
  });

  it('links from traceparents end up on the transaction', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction('job', {
        links: [
          '00-12345678901234567890123456789012-1234567890123456-01',
          'garbage',
          { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) },
        ],
      });
      endTransaction('x');
    });
    expect(transport.transactions[0]?.links).toEqual([
      { trace_id: '12345678901234567890123456789012', span_id: '1234567890123456' },
      { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) },
    ]);
    expectAllValid(transport);
  });
});
