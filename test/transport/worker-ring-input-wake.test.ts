// While the sender is not known to work, at most maxQueueSize events may wait for the transport worker, and a busy
// application thread reaches that bound in well under the worker's nap. The application thread's half of the ring
// (runtime/transport/worker-ring-input.ts) therefore wakes a napping reader once half the bound waits, instead of
// letting it sleep out its nap while the rest of the burst is dropped.
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../runtime/config-types.js';
import { UnencodableLog } from '../../runtime/transport/batch-encoder.js';
import { createRingBuffer, ReaderState, RingReader, Slot } from '../../runtime/transport/worker-ring.js';
import { RingInput } from '../../runtime/transport/worker-ring-input.js';

const quiet: Logger = { error() {}, warn() {}, info() {}, debug() {} };
const BOUND = 8;

function setUp() {
  const buffer = createRingBuffer(1 << 20);
  const input = new RingInput(buffer, BOUND, new UnencodableLog(quiet));
  const reader = new RingReader(buffer);
  return { input, reader };
}

function sendMetricsets(input: RingInput, count: number): void {
  for (let i = 0; i < count; i++) input.send('metricset', { samples: { n: { value: i } }, timestamp: i });
}

const readerState = (reader: RingReader) => Atomics.load(reader.control, Slot.readerAsleep);

describe('the ring input wakes a napping reader', () => {
  it('when an event comes while half of maxQueueSize waits, not before (a small ring share would not wake it)', () => {
    const { input, reader } = setUp();
    expect(reader.announceWait(ReaderState.napping)).toBe(true);
    sendMetricsets(input, BOUND / 2);
    expect(readerState(reader)).toBe(ReaderState.napping);
    sendMetricsets(input, 1);
    expect(readerState(reader)).toBe(ReaderState.awake);
    // What woke it is visible to it: every record written before the wake is published.
    let records = 0;
    reader.readWhile(() => {
      records++;
      return true;
    });
    expect(records).toBe(BOUND / 2);
  });

  it('once per reading of the bound: a reader napping again with the same events waiting is left to nap', () => {
    const { input, reader } = setUp();
    reader.announceWait(ReaderState.napping);
    sendMetricsets(input, BOUND / 2 + 1);
    expect(readerState(reader)).toBe(ReaderState.awake);
    // The reader took nothing (say its HTTP queue was full) and naps again: no wake per further event.
    reader.announceWait(ReaderState.napping);
    sendMetricsets(input, 2);
    expect(readerState(reader)).toBe(ReaderState.napping);
    // The bound still holds: past it, events are dropped and counted.
    sendMetricsets(input, BOUND);
    expect(input.accepted).toBe(BOUND);
    expect(input.dropped).toBe(BOUND / 2 + 3);
  });
});
