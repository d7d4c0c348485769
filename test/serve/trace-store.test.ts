import { describe, expect, it } from 'vitest';
import { buildWaterfall, type TraceEventInput, TraceStore } from '../../server/waterfall/index.js';
import { assertValidIntake } from '../helpers/intake-schema.js';
import { specExampleEvents } from './spec-events.js';
import { checkoutTrace, hex, toInputs } from './trace-builder.js';

const shape = (store: TraceStore, traceId: string) =>
  buildWaterfall(store.get(traceId)!).rows.map((row) => `${'  '.repeat(row.depth)}${row.kind}:${row.id}`);

describe('TraceStore with the spec examples', () => {
  it('groups transactions_spans.ndjson by trace id and nests spans under their transaction', () => {
    const store = new TraceStore();
    for (const event of specExampleEvents('transactions_spans.ndjson')) store.add(event);
    expect(store.list().map((t) => t.traceId)).toEqual([
      '85925e55b43f4342aaaaaaaaaaaaaaaa',
      '85925e55b43f4341aaaaaaaaaaaaaaaa',
      '85925e55b43f4340aaaaaaaaaaaaaaaa',
      '945254c567a5417eaaaaaaaaaaaaaaaa',
    ]);
    const waterfall = buildWaterfall(store.get('945254c567a5417eaaaaaaaaaaaaaaaa')!);
    expect(waterfall.hasRoot).toBe(true);
    expect(waterfall.name).toBe('GET /api/types');
    expect(waterfall.rows.map((row) => [row.id, row.depth])).toEqual([
      ['945254c567a5417e', 0],
      ['0aaaaaaaaaaaaaaa', 1],
      ['1aaaaaaaaaaaaaaa', 1],
      ['2aaaaaaaaaaaaaaa', 1],
      ['3aaaaaaaaaaaaaaa', 1],
    ]);
    expect(waterfall.rows[1]).toMatchObject({
      type: 'db.postgresql.query',
      durationMs: 3.781912,
      offsetMs: 0,
    });
    expect(waterfall.transactionCount).toBe(1);
    expect(waterfall.spanCount).toBe(4);
  });

  it('counts services from metadata and event context, metricsets and logs included', () => {
    const store = new TraceStore();
    for (const file of ['transactions_spans.ndjson', 'metricsets.ndjson', 'logs.ndjson']) {
      for (const event of specExampleEvents(file)) store.add(event);
    }
    const byName = new Map(store.services().map((s) => [s.name, s]));
    expect(byName.get('1234_service-12a3')).toMatchObject({ transactions: 3, agent: 'java' }); // the last metadata seen wins;
    expect(byName.get('serviceabc')?.transactions).toBe(1);
    expect([...byName.values()].reduce((n, s) => n + s.metricsets, 0)).toBeGreaterThan(0);
    expect([...byName.values()].reduce((n, s) => n + s.logs, 0)).toBe(7);
  });

  it('makes an error without a trace id a trace of its own, and attaches the others', () => {
    const store = new TraceStore();
    for (const event of specExampleEvents('errors.ndjson')) store.add(event);
    const standalone = store.get('error:0123456789012345');
    expect(standalone).toBeDefined();
    const waterfall = buildWaterfall(standalone!);
    expect(waterfall.name).toBe('DbError: The username root is unknown');
    expect(waterfall.errors[0]?.frames[1]).toEqual({
      function: 'foo',
      file: 'file/name.py',
      line: 3,
      column: 4,
      library: true,
    });
    expect(buildWaterfall(store.get('0123456789abcdeffedcba0123456789')!).errorCount).toBe(2);
  });

  it('places spans that carry only `start` on their transaction, even when the transaction comes later', () => {
    const events = specExampleEvents('optional-timestamps.ndjson').filter((e) => e.kind !== 'metricset');
    const traceId = 'abcdefabcdef01234567890123456789';
    const transaction = events.find((e) => e.kind === 'transaction')!;
    const span: TraceEventInput = {
      ...events.find((e) => e.kind === 'span')!,
      data: { ...events.find((e) => e.kind === 'span')!.data, transaction_id: transaction.data.id },
    };
    const store = new TraceStore();
    store.add(span);
    store.add(transaction);
    const rows = buildWaterfall(store.get(traceId)!).rows;
    const spanRow = rows.find((row) => row.kind === 'span')!;
    expect(span.data.start).toBe(10);
    expect(spanRow).toMatchObject({ depth: 1, parentMissing: true });
    expect(spanRow.offsetMs).toBeCloseTo(10, 6);
  });
});

describe('TraceStore with hand-made traces', () => {
  it('builds the same waterfall whatever the arrival order', () => {
    const trace = checkoutTrace();
    for (const [kind, data] of trace.events) assertValidIntake(kind, data);
    const inOrder = new TraceStore();
    for (const event of toInputs(trace)) inOrder.add(event);
    const reversed = new TraceStore();
    for (const event of toInputs(trace).reverse()) reversed.add(event);
    const expected = [
      `transaction:${trace.transactionId}`,
      `  span:${trace.validateId}`,
      `  span:${trace.chargeId}`,
      `    span:${trace.queryId}`,
    ];
    expect(shape(inOrder, trace.traceId)).toEqual(expected);
    expect(shape(reversed, trace.traceId)).toEqual(expected);
    const charge = buildWaterfall(reversed.get(trace.traceId)!).rows[2]!;
    expect(charge).toMatchObject({
      offsetMs: 20,
      durationMs: 60,
      type: 'external.http.POST',
      outcome: 'failure',
    });
    expect(charge.errors.map((e) => e.id)).toEqual([trace.errorId]);
  });

  it('keeps a span whose parent never arrives under its transaction, marked', () => {
    const trace = checkoutTrace();
    const store = new TraceStore();
    for (const event of toInputs(trace)) if (event.data.id !== trace.chargeId) store.add(event);
    const waterfall = buildWaterfall(store.get(trace.traceId)!);
    const query = waterfall.rows.find((row) => row.id === trace.queryId)!;
    expect(query).toMatchObject({ depth: 1, parentMissing: true });
    // The error's parent is missing too: it falls back to its transaction.
    expect(waterfall.rows[0]!.errors.map((e) => e.id)).toEqual([trace.errorId]);
  });

  it('survives parent cycles and self-parents without losing spans', () => {
    const traceId = hex(16);
    const span = (id: string, parent: string) => ({
      kind: 'span',
      data: { id, trace_id: traceId, parent_id: parent, name: id, type: 'app', duration: 1, timestamp: 1e15 },
      metadata: {},
      receivedAt: 0,
    });
    const store = new TraceStore();
    store.add(span('a', 'b'));
    store.add(span('b', 'a'));
    store.add(span('c', 'c'));
    const rows = buildWaterfall(store.get(traceId)!).rows;
    expect(rows.map((row) => row.id).sort()).toEqual(['a', 'b', 'c']);
    expect(buildWaterfall(store.get(traceId)!).hasRoot).toBe(false);
  });

  it('ignores events it cannot place and tolerates wrong field types', () => {
    const store = new TraceStore();
    expect(
      store.add({ kind: 'span', data: { name: 'no ids' }, metadata: {}, receivedAt: 0 }),
    ).toBeUndefined();
    expect(
      store.add({ kind: 'span', data: { trace_id: 't', name: 'no id' }, metadata: {}, receivedAt: 0 }),
    ).toBeUndefined();
    const odd = store.add({
      kind: 'transaction',
      data: { id: 'x', trace_id: 't', name: 42, duration: 'long', timestamp: null, outcome: {} },
      metadata: { service: 'not an object' },
      receivedAt: 1000,
    });
    expect(odd).toBeDefined();
    expect(buildWaterfall(odd!).rows[0]).toMatchObject({
      name: 'unnamed transaction',
      durationMs: 0,
      outcome: 'unknown',
    });
    expect(store.size).toBe(1);
  });

  it('caps the text it keeps from each event', () => {
    const store = new TraceStore();
    const trace = store.add({
      kind: 'error',
      data: {
        id: 'e',
        trace_id: 't',
        exception: {
          message: 'm'.repeat(50_000),
          stacktrace: [{ function: 'f'.repeat(5000), filename: 'x.js' }],
        },
      },
      metadata: {},
      receivedAt: 0,
    })!;
    const [error] = trace.errors;
    expect(error!.message.length).toBe(10_000);
    expect(error!.frames[0]!.function!.length).toBe(1024);
  });

  it('keeps only the last maxTraces traces, evicting the least recently updated', () => {
    const store = new TraceStore({ maxTraces: 3 });
    const evicted: string[] = [];
    store.subscribe((trace, change) => change === 'evicted' && evicted.push(trace.traceId));
    const traces = [1, 2, 3, 4, 5].map(() => checkoutTrace());
    for (const trace of traces.slice(0, 3)) store.add(toInputs(trace)[0]!);
    store.add(toInputs(traces[0]!)[1]!); // trace 0 is active again
    for (const trace of traces.slice(3)) store.add(toInputs(trace)[0]!);
    expect(evicted).toEqual([traces[1]!.traceId, traces[2]!.traceId]);
    expect(store.list().map((t) => t.traceId)).toEqual([
      traces[4]!.traceId,
      traces[3]!.traceId,
      traces[0]!.traceId,
    ]);
  });

  it('stops growing a trace at maxItemsPerTrace and counts what it dropped', () => {
    const store = new TraceStore({ maxItemsPerTrace: 2 });
    const trace = checkoutTrace();
    for (const event of toInputs(trace)) store.add(event);
    const waterfall = buildWaterfall(store.get(trace.traceId)!);
    expect(waterfall.rows.length + waterfall.errorCount).toBe(2);
    expect(waterfall.droppedEvents).toBe(3);
  });
});
