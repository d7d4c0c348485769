// When the application thread's ring writer (runtime/transport/worker-ring.ts) makes completed records visible to the
// reader: not record by record, but by a timer shortly after (no publish() call needed), at once when a long run of
// records fills a share of the ring, and on publish(); a reader waiting asleep is woken by the timer's publish.
import { describe, expect, it } from 'vitest';
import {
  createRingBuffer,
  ReaderState,
  RecordType,
  RingReader,
  RingWriter,
  Slot,
} from '../../runtime/transport/worker-ring.js';

/** Atomics.waitAsync (V8, Node >= 16) is in TypeScript's es2024 lib; the project compiles against an older one. */
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs?: number,
) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

function writeSpanRecords(writer: RingWriter, count: number): void {
  for (let i = 0; i < count; i++) {
    const at = writer.begin(RecordType.span, 80);
    expect(at).toBeGreaterThanOrEqual(0);
    writer.commit();
  }
}

function recordsIn(reader: RingReader): number {
  let count = 0;
  reader.readWhile(() => {
    count++;
    return true;
  });
  return count;
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('the ring writer publishes completed records', () => {
  it('by a timer shortly after, all of them together, without a publish() call', async () => {
    const buffer = createRingBuffer(1 << 16);
    const writer = new RingWriter(buffer);
    const reader = new RingReader(buffer);
    writeSpanRecords(writer, 3);
    expect(reader.hasRecord).toBe(false);
    await eventually(() => reader.hasRecord, 'the records published');
    expect(recordsIn(reader)).toBe(3);
    // And again for the next ones: the timer is set anew once it has run.
    writeSpanRecords(writer, 2);
    expect(reader.hasRecord).toBe(false);
    await eventually(() => reader.hasRecord, 'the next records published');
    expect(recordsIn(reader)).toBe(2);
  });

  it('at once on publish()', () => {
    const buffer = createRingBuffer(1 << 16);
    const writer = new RingWriter(buffer);
    const reader = new RingReader(buffer);
    writeSpanRecords(writer, 5);
    writer.publish();
    expect(recordsIn(reader)).toBe(5);
  });

  it('at once when a run of records fills a share of the ring (no timer runs during a long run of code)', () => {
    const buffer = createRingBuffer(1 << 16);
    const writer = new RingWriter(buffer);
    const reader = new RingReader(buffer);
    // 88 bytes a record: 1/32 of a 64 KiB ring is 2 KiB, 24 records.
    writeSpanRecords(writer, 20);
    expect(reader.hasRecord).toBe(false);
    writeSpanRecords(writer, 10);
    expect(recordsIn(reader)).toBeGreaterThanOrEqual(24);
  });

  it('wakes a reader that waits asleep', async () => {
    const buffer = createRingBuffer(1 << 16);
    const writer = new RingWriter(buffer);
    const reader = new RingReader(buffer);
    const control = new Int32Array(buffer, 0, 96);
    expect(reader.announceWait(ReaderState.asleep)).toBe(true);
    const waiting = waitAsync(control, Slot.readerAsleep, ReaderState.asleep);
    expect(waiting.async).toBe(true);
    writeSpanRecords(writer, 1);
    expect(await waiting.value).toBe('ok');
    expect(Atomics.load(control, Slot.readerAsleep)).toBe(ReaderState.awake);
    expect(recordsIn(reader)).toBe(1);
  });
});
