import { describe, expect, it } from 'vitest';
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
import { expectAllValid, HEX16, HEX32, isolated, testClient } from './helpers.js';

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
