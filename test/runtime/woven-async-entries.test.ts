// The runtime entries of woven async functions, called by hand in the shapes woven code has: wovenAsyncCall (the
// function returns what it gives) and the four entries code woven by earlier builds still calls (the function
// awaits its body). test/runtime/woven-async.test.ts runs transformer output in child processes; this checks the
// entries' own promises: values, the very same errors, span outcomes, context, and no rejection left unhandled.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  getSpanId,
  getTransactionId,
  wovenAsyncCall,
  wovenAsyncEnd,
  wovenAsyncFail,
  wovenAsyncRun,
  wovenAsyncStart,
} from '../../runtime/index.js';
import { defineSpan } from '../../runtime/woven.js';
import { isolated, type Json, testClient } from './helpers.js';

const spec = defineSpan('Cart.checkout', 'code.custom');

/** `async function g(x) { const B = async () => body(x); return __apmAsync(spec, B); }` */
async function woven<T>(body: () => Promise<T>): Promise<T> {
  const __apmB0$g = async () => body();
  return wovenAsyncCall(spec, __apmB0$g);
}

/** The shape earlier builds wove: the function awaits its body. */
async function wovenEarlier<T>(body: () => Promise<T>): Promise<T> {
  const span = wovenAsyncStart(spec);
  const __apmB0 = async () => body();
  try {
    return wovenAsyncEnd(span, await wovenAsyncRun(span, __apmB0));
  } catch (error) {
    throw wovenAsyncFail(span, error);
  }
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

for (const [shape, call] of [
  ['wovenAsyncCall', woven],
  ['wovenAsyncStart/Run/End/Fail (earlier woven code)', wovenEarlier],
] as const) {
  describe(shape, () => {
    it('hands on the value, runs the body in its span, and has ended the span when the caller resumes', async () => {
      const { client, transport } = testClient();
      await isolated(async () => {
        client.beginTransaction('request');
        const transactionId = getTransactionId();
        const seen: Array<string | undefined> = [];
        const pending = call(async () => {
          seen.push(getSpanId());
          await null;
          seen.push(getSpanId());
          return 42;
        });
        // The caller's own context is back as soon as the body first suspends.
        expect(getSpanId()).toBeUndefined();
        expect(getTransactionId()).toBe(transactionId);
        expect(await pending).toBe(42);
        const spans = transport.events.filter((e) => e.kind === 'span').map((e) => e.event as Json);
        expect(spans).toHaveLength(1);
        expect(spans[0]).toMatchObject({
          name: 'Cart.checkout',
          outcome: 'success',
          parent_id: transactionId,
        });
        expect(seen).toEqual([spans[0].id, spans[0].id]);
        client.endTransaction('t');
      });
    });

    it('rejects with the very same error, marks the span failed, and leaves nothing unhandled', async () => {
      const { client, transport } = testClient();
      const thrown = new Error('declined');
      await isolated(async () => {
        client.beginTransaction('request');
        await expect(
          call(async () => {
            await null;
            throw thrown;
          }),
        ).rejects.toBe(thrown);
        client.endTransaction('t');
      });
      // Two macrotask turns: Node reports unhandled rejections after the microtask queue drains.
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
      const span = transport.events.find((e) => e.kind === 'span')?.event as Json;
      expect(span).toMatchObject({ name: 'Cart.checkout', outcome: 'failure' });
    });

    it('ends the span even when the body begins a transaction of its own before its first await', async () => {
      const { client, transport } = testClient();
      await isolated(async () => {
        client.beginTransaction('outer');
        const outerId = getTransactionId();
        const innerIds: Array<string | undefined> = [];
        await call(async () => {
          client.beginTransaction('inner');
          innerIds.push(getTransactionId());
          await null;
          client.endTransaction('done');
        });
        expect(innerIds[0]).not.toBe(outerId);
        expect(getTransactionId()).toBe(outerId);
        client.endTransaction('t');
      });
      const spans = transport.events.filter((e) => e.kind === 'span').map((e) => e.event as Json);
      expect(spans).toEqual([expect.objectContaining({ name: 'Cart.checkout', outcome: 'success' })]);
    });

    it('without a transaction: the body runs, nothing is recorded', async () => {
      const { transport } = testClient();
      await isolated(async () => {
        expect(await call(async () => 'plain')).toBe('plain');
      });
      expect(transport.events).toEqual([]);
    });
  });
}

it('wovenAsyncCall takes a body compiled to another Promise implementation (a thenable), kept or broken', async () => {
  const { client, transport } = testClient();
  const thrown = new Error('polyfilled');
  const thenable = (settle: (ok: (v: unknown) => void, fail: (e: unknown) => void) => void) =>
    // biome-ignore lint/suspicious/noThenProperty: a promise of another implementation is what this test is about
    ({ then: settle }) as unknown as Promise<unknown>;
  await isolated(async () => {
    client.beginTransaction('request');
    expect(await wovenAsyncCall(spec, () => thenable((ok) => ok(7)))).toBe(7);
    await expect(wovenAsyncCall(spec, () => thenable((_, fail) => fail(thrown)))).rejects.toBe(thrown);
    client.endTransaction('t');
  });
  const spans = transport.events.filter((e) => e.kind === 'span').map((e) => (e.event as Json).outcome);
  expect(spans).toEqual(['success', 'failure']);
});

it('wovenAsyncCall without a span returns the body promise itself', async () => {
  testClient();
  const body = Promise.resolve('same');
  await isolated(async () => {
    expect(wovenAsyncCall(spec, () => body)).toBe(body);
    expect(wovenAsyncCall(undefined, () => body)).toBe(body);
  });
});
