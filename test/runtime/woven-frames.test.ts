import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  beginTransaction,
  captureException,
  defineSpan,
  endTransaction,
  wovenCall,
} from '../../runtime/index.js';
import { parseStack } from '../../runtime/stack.js';
import { expectAllValid, isolated, type Json, testClient } from './helpers.js';

// The shape the transformer gives a woven method (woven-contract.md): the body in an arrow the runtime calls.
const spec = defineSpan('Gateway.charge');
const asyncSpec = defineSpan('Gateway.later');
class Gateway {
  charge(amount: number): number {
    return wovenCall(spec, () => {
      if (amount > 100) throw new Error('declined');
      return amount;
    });
  }
  async later(amount: number): Promise<number> {
    return await wovenCall(asyncSpec, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (amount > 100) throw new Error('declined later');
      return amount;
    });
  }
}

async function handleCheckout(): Promise<void> {
  await new Gateway().later(500);
}

describe('stack frames of errors thrown in woven functions', () => {
  it('fold the body arrow and the runtime frames into one frame named after the woven function', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction('request');
      try {
        new Gateway().charge(500);
      } catch (error) {
        captureException(error);
      }
      endTransaction('t');
    });
    const error: Json = transport.events.find((e) => e.kind === 'error')?.event;
    const frames = error.exception.stacktrace;
    expect(frames[0].function).toBe('Gateway.charge');
    expect(frames[0].filename).toBe('test/runtime/woven-frames.test.ts');
    // The throw inside the body, not the outer `return wovenCall(...)` line.
    const throwLine =
      readFileSync(new URL(import.meta.url), 'utf8')
        .split('\n')
        .indexOf("      if (amount > 100) throw new Error('declined');") + 1;
    expect(throwLine).toBeGreaterThan(0);
    expect(frames[0].lineno).toBe(throwLine);
    expect(frames.map((f: Json) => f.function)).not.toContain('wovenCall');
    expect(frames.map((f: Json) => f.function)).not.toContain('runInSpan');
    expect(error.culprit).toBe('Gateway.charge (test/runtime/woven-frames.test.ts)');
    expectAllValid(transport);
  });

  it('keep the async stack of a woven async function whole: its name, then its callers', async () => {
    const { transport } = testClient();
    let stack = '';
    await isolated(async () => {
      beginTransaction('request');
      try {
        await handleCheckout();
      } catch (error) {
        stack = (error as Error).stack ?? '';
        captureException(error);
      }
      endTransaction('t');
    });
    // The app's own view of the error keeps its callers too (a `then` on the body's promise would cut them).
    expect(stack).toContain('handleCheckout');
    const error: Json = transport.events.find((e) => e.kind === 'error')?.event;
    const names = error.exception.stacktrace.map((f: Json) => f.function);
    expect(names.slice(0, 2)).toEqual(['Gateway.later', 'handleCheckout']);
    expect(names).not.toContain('wovenAsync');
    expect(error.culprit).toBe('Gateway.later (test/runtime/woven-frames.test.ts)');
    const span: Json = transport.events.find((e) => e.kind === 'span')?.event;
    expect(span).toMatchObject({ name: 'Gateway.later', outcome: 'failure' });
    expectAllValid(transport);
  });

  it('leave other anonymous frames alone', () => {
    const stack = [
      'Error: x',
      '    at file:///app/a.js:1:1',
      '    at run (file:///app/b.js:2:2)',
      '    at named (file:///app/c.js:3:3)',
    ].join('\n');
    expect(parseStack(stack).map((f) => f.function)).toEqual([undefined, 'run', 'named']);
  });
});
