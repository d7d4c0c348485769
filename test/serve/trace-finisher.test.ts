import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FinishedTrace, TraceFinisher, TraceStore } from '../../server/waterfall/index.js';
import { checkoutTrace, toInputs } from './trace-builder.js';

describe('TraceFinisher', () => {
  let store: TraceStore;
  let finished: FinishedTrace[];
  let finisher: TraceFinisher;

  beforeEach(() => {
    vi.useFakeTimers();
    store = new TraceStore();
    finished = [];
    finisher = new TraceFinisher(store, {
      quietMs: 1000,
      incompleteAfterMs: 10_000,
      onFinished: (f) => finished.push(f),
    });
  });
  afterEach(() => {
    finisher.close();
    vi.useRealTimers();
  });

  it('reports a trace once its root transaction arrived and it stayed quiet', () => {
    const trace = checkoutTrace();
    const [first, ...rest] = toInputs(trace);
    store.add(first!);
    vi.advanceTimersByTime(900);
    for (const event of rest) store.add(event); // the root arrives last, and restarts the quiet period
    vi.advanceTimersByTime(900);
    expect(finished).toHaveLength(0);
    vi.advanceTimersByTime(200);
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ complete: true, update: false });
    expect(finished[0]!.waterfall.rows).toHaveLength(4);
    vi.advanceTimersByTime(60_000);
    expect(finished).toHaveLength(1);
  });

  it('waits for a missing root, then reports the trace as incomplete', () => {
    const trace = checkoutTrace();
    for (const event of toInputs(trace)) if (event.kind !== 'transaction') store.add(event);
    vi.advanceTimersByTime(9_000);
    expect(finished).toHaveLength(0);
    vi.advanceTimersByTime(1_500);
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ complete: false, update: false });
  });

  it('reports again, as an update, when events arrive after the report', () => {
    const trace = checkoutTrace();
    const events = toInputs(trace);
    const late = events.find((e) => e.kind === 'error')!;
    for (const event of events) if (event !== late) store.add(event);
    vi.advanceTimersByTime(1_100);
    expect(finished.map((f) => f.waterfall.errorCount)).toEqual([0]);
    store.add(late);
    vi.advanceTimersByTime(1_100);
    expect(finished.map((f) => [f.update, f.waterfall.errorCount])).toEqual([
      [false, 0],
      [true, 1],
    ]);
  });

  it('reports an error sent without a trace on its own, and forgets evicted traces', () => {
    store.add({
      kind: 'error',
      data: { id: 'e1', exception: { message: 'boom', type: 'Error' } },
      metadata: {},
      receivedAt: Date.now(),
    });
    vi.advanceTimersByTime(1_100);
    expect(finished.map((f) => f.waterfall.name)).toEqual(['Error: boom']);

    const small = new TraceStore({ maxTraces: 1 });
    const seen: string[] = [];
    const other = new TraceFinisher(small, { onFinished: (f) => seen.push(f.waterfall.traceId) });
    const [a, b] = [checkoutTrace(), checkoutTrace()];
    for (const event of toInputs(a)) small.add(event);
    for (const event of toInputs(b)) small.add(event); // evicts a before it is quiet
    vi.advanceTimersByTime(1_100);
    expect(seen).toEqual([b.traceId]);
    other.close();
  });
});
