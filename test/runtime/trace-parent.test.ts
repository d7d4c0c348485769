import { describe, expect, it } from 'vitest';
import { runWithin } from '../../runtime/context.js';
import {
  beginTransaction,
  defineSpan,
  endTransaction,
  getTraceParentHeader,
  TraceParent,
  traceParentFromHeaders,
  traceParentFromString,
  wovenCall,
} from '../../runtime/index.js';
import { readSpecJson } from '../helpers/spec.js';
import { expectAllValid, HEX16, testClient } from './helpers.js';

interface W3cCase {
  headers: [string, string][];
  is_traceparent_valid: boolean;
  is_tracestate_valid?: boolean;
}
const cases = readSpecJson<W3cCase[]>('json-specs', 'w3c_distributed_tracing.json');

/** The same header list as Node's IncomingHttpHeaders: lower-case names, repeated headers as arrays. */
function asIncoming(headers: [string, string][]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const prior = out[key];
    out[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return out;
}

function asWhatwg(headers: [string, string][]): Headers {
  const out = new Headers();
  for (const [name, value] of headers) out.append(name, value);
  return out;
}

describe('W3C distributed tracing vectors', () => {
  it('has the vectors', () => expect(cases.length).toBeGreaterThan(80));

  const shapes = {
    '[name, value] pairs': (h: [string, string][]) => h,
    'IncomingHttpHeaders (arrays for repeats)': asIncoming,
    'WHATWG Headers': asWhatwg,
  };
  for (const [shape, convert] of Object.entries(shapes)) {
    it(`every case, headers as ${shape}`, () => {
      cases.forEach((c, index) => {
        const parsed = traceParentFromHeaders(convert(c.headers));
        const label = `case ${index}: ${JSON.stringify(c.headers).slice(0, 200)}`;
        expect(parsed !== undefined, label).toBe(c.is_traceparent_valid);
        if (parsed !== undefined && c.is_tracestate_valid !== undefined) {
          const hasState = c.headers.some(([n, v]) => n.toLowerCase() === 'tracestate' && v.trim() !== '');
          expect(parsed.tracestate !== undefined, label).toBe(c.is_tracestate_valid && hasState);
        }
      });
    });
  }

  it('a plain object with mixed-case names is read case-insensitively', () => {
    const parsed = traceParentFromHeaders({
      TraceParent: '00-12345678901234567890123456789012-1234567890123456-01',
      TRACESTATE: 'es=s:0.5,foo=1',
    });
    expect(parsed?.traceId).toBe('12345678901234567890123456789012');
    expect(parsed?.tracestate).toBe('es=s:0.5,foo=1');
  });
});

describe('TraceParent', () => {
  it('parses and prints round trip, with the sampled flag', () => {
    const text = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const parsed = traceParentFromString(text);
    expect(parsed).toBeInstanceOf(TraceParent);
    expect(parsed?.toString()).toBe(text);
    expect(parsed?.sampled).toBe(true);
    expect(parsed?.spanId).toBe('b7ad6b7169203331');
    expect(traceParentFromString(text.replace(/01$/, '00'))?.sampled).toBe(false);
  });

  it('prints version 00 for a future version and keeps only the known fields', () => {
    const parsed = traceParentFromString('cc-12345678901234567890123456789012-1234567890123456-03-future');
    expect(parsed?.toString()).toBe('00-12345678901234567890123456789012-1234567890123456-03');
    expect(parsed?.sampled).toBe(true);
  });

  it('rejects non-strings and junk without throwing', () => {
    for (const bad of [undefined, null, 42, {}, '', 'garbage', '00-xyz']) {
      expect(traceParentFromString(bad)).toBeUndefined();
    }
    expect(traceParentFromHeaders(undefined)).toBeUndefined();
    expect(traceParentFromHeaders(null)).toBeUndefined();
  });

  it('reads the es sample rate and ignores invalid ones', () => {
    const tp = '00-12345678901234567890123456789012-1234567890123456-01';
    expect(traceParentFromHeaders({ traceparent: tp, tracestate: 'es=s:0.25' })?.sampleRate).toBe(0.25);
    expect(traceParentFromHeaders({ traceparent: tp, tracestate: 'foo=bar,es=k:v;s:1' })?.sampleRate).toBe(1);
    expect(traceParentFromHeaders({ traceparent: tp, tracestate: 'es=s:2' })?.sampleRate).toBeUndefined();
    expect(traceParentFromHeaders({ traceparent: tp, tracestate: 'es=s:abc' })?.sampleRate).toBeUndefined();
    expect(traceParentFromHeaders({ traceparent: tp })?.sampleRate).toBeUndefined();
  });

  it('falls back to the legacy elastic-apm-traceparent header; traceparent wins', () => {
    const a = '00-12345678901234567890123456789012-1234567890123456-01';
    const b = '00-abcdefabcdefabcdefabcdefabcdefab-abcdefabcdefabcd-01';
    expect(traceParentFromHeaders({ 'elastic-apm-traceparent': a })?.toString()).toBe(a);
    expect(traceParentFromHeaders({ 'elastic-apm-traceparent': a, traceparent: b })?.toString()).toBe(b);
  });
});

describe('trace context in transactions', () => {
  it('continues an incoming trace: same trace id, parent id, sampling, tracestate and es rate', async () => {
    const { transport } = testClient();
    const incoming = traceParentFromHeaders({
      traceparent: '00-12345678901234567890123456789012-1234567890123456-01',
      tracestate: 'es=s:0.5,other=x',
    });
    await runWithin(undefined, async () => {
      const tx = beginTransaction('request', { traceParent: incoming });
      expect(tx?.tracestate).toBe('es=s:0.5,other=x');
      const header = getTraceParentHeader();
      expect(header).toMatch(/^00-12345678901234567890123456789012-[0-9a-f]{16}-01$/);
      expect(header?.split('-')[2]).toBe(tx?.id);
      wovenCall(defineSpan('child'), () => {
        expect(getTraceParentHeader()?.split('-')[2]).not.toBe(tx?.id);
      });
      endTransaction('GET /x');
    });
    const [tx] = transport.transactions;
    expect(tx).toMatchObject({
      trace_id: '12345678901234567890123456789012',
      parent_id: '1234567890123456',
      sample_rate: 0.5,
      sampled: true,
    });
    expect(transport.spans[0]).toMatchObject({
      sample_rate: 0.5,
      trace_id: '12345678901234567890123456789012',
    });
    expectAllValid(transport);
  });

  it('an unsampled caller gives an unsampled transaction with sample_rate 0 and no spans', async () => {
    const { transport } = testClient();
    await runWithin(undefined, async () => {
      beginTransaction('request', { traceParent: '00-12345678901234567890123456789012-1234567890123456-00' });
      expect(getTraceParentHeader()).toMatch(/-00$/);
      expect(wovenCall(defineSpan('child'), () => 7)).toBe(7);
      endTransaction();
    });
    expect(transport.transactions[0]).toMatchObject({ sampled: false, sample_rate: 0 });
    expect(transport.transactions[0]?.context).toBeUndefined();
    expect(transport.spans).toHaveLength(0);
    expectAllValid(transport);
  });

  it('a trace root writes es=s:<rate> and omits nothing else', async () => {
    const { transport } = testClient({ transactionSampleRate: 1 });
    await runWithin(undefined, async () => {
      const tx = beginTransaction('job');
      expect(tx?.tracestate).toBe('es=s:1');
      expect(tx?.parentId).toBeUndefined();
      expect(tx?.id).toMatch(HEX16);
      endTransaction();
    });
    expect(transport.transactions[0]?.parent_id).toBeUndefined();
    expect(transport.transactions[0]?.sample_rate).toBe(1);
  });
});
