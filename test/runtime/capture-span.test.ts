import { setTimeout as sleep } from 'node:timers/promises';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  asyncCaptureSpan,
  beginTransaction,
  captureSpan,
  endTransaction,
  getSpanId,
  getTransactionId,
} from '../../runtime/index.js';
import { expectAllValid, isolated, type Json, testClient } from './helpers.js';

/** Compiles TypeScript as tsc would and evaluates it as a CommonJS module given `captureSpan`. */
function compileAndRun<T>(source: string, experimentalDecorators: boolean): T {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      experimentalDecorators,
    },
  });
  const module = { exports: {} as T };
  new Function('module', 'exports', 'captureSpan', 'sleep', outputText)(
    module,
    module.exports,
    captureSpan,
    sleep,
  );
  return module.exports;
}

const CART = `
  export class Cart {
    constructor(public items: number) {}
    @captureSpan()
    checkout(tax: number): number { return this.items + tax; }
    @captureSpan('Cart pay', { type: 'external.http.post', labels: { provider: 'acme' } })
    async pay(): Promise<void> { await sleep(2); throw new Error('declined'); }
    @captureSpan()
    static create(): Cart { return new Cart(1); }
  }
`;

describe('captureSpan as a method decorator', () => {
  for (const [style, experimental] of [
    ['TypeScript 5 standard decorators', false],
    ['experimentalDecorators', true],
  ] as const) {
    it(`${style}: spans named Class.method, this and arguments kept, rejection = failure`, async () => {
      const { Cart } = compileAndRun<{ Cart: Json }>(CART, experimental);
      const { transport } = testClient();
      await isolated(async () => {
        beginTransaction('job');
        const cart = Cart.create();
        expect(cart.checkout(2)).toBe(3);
        await expect(cart.pay()).rejects.toThrow('declined');
        endTransaction('x');
      });
      expect(transport.spans.map((s) => [s.name, s.type, s.subtype, s.action, s.outcome])).toEqual([
        ['Cart.create', 'code', 'custom', undefined, 'success'],
        ['Cart.checkout', 'code', 'custom', undefined, 'success'],
        ['Cart pay', 'external', 'http', 'post', 'failure'],
      ]);
      expect(transport.spans[2]?.context).toEqual({ tags: { provider: 'acme' } });
      expectAllValid(transport);
    });

    it(`${style}: without a transaction the method just runs`, () => {
      const { Cart } = compileAndRun<{ Cart: Json }>(CART, experimental);
      const { transport } = testClient();
      expect(new Cart(4).checkout(1)).toBe(5);
      expect(Cart.prototype.checkout.name).toBe('checkout');
      expect(Cart.prototype.checkout.length).toBe(1);
      expect(transport.events).toHaveLength(0);
    });
  }
});

describe('captureSpan(name, options, fn)', () => {
  it("returns fn's result, span current inside, dotted type split, links and leaf honoured", () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction('job');
      const result = captureSpan(
        'query',
        {
          type: 'db.postgresql.query',
          leaf: true,
          links: ['00-12345678901234567890123456789012-1234567890123456-01'],
        },
        () => {
          captureSpan('hidden under a leaf', {}, () => {});
          return getSpanId();
        },
      );
      expect(result).toBe(transport.spans[0]?.id);
      expect(
        captureSpan(undefined, undefined, function namedAfterMe() {
          return 1;
        }),
      ).toBe(1);
      endTransaction('x');
    });
    expect(transport.spans.map((s) => s.name)).toEqual(['query', 'namedAfterMe']);
    expect(transport.spans[0]).toMatchObject({
      type: 'db',
      subtype: 'postgresql',
      action: 'query',
      links: [{ trace_id: '12345678901234567890123456789012', span_id: '1234567890123456' }],
    });
    expectAllValid(transport);
  });

  it('promises: the same promise is returned; the span ends on settle; rejection = failure', async () => {
    const { transport } = testClient();
    await isolated(async () => {
      beginTransaction('job');
      const p = Promise.reject(new Error('no'));
      expect(asyncCaptureSpan('rejects', {}, () => p)).toBe(p);
      await expect(p).rejects.toThrow('no');
      const value = await asyncCaptureSpan('resolves', { subtype: 'x' }, async () => {
        await sleep(1);
        return 'v';
      });
      expect(value).toBe('v');
      endTransaction('x');
    });
    expect(transport.spans.map((s) => [s.name, s.outcome])).toEqual([
      ['rejects', 'failure'],
      ['resolves', 'success'],
    ]);
    expectAllValid(transport);
  });

  it('a sync throw is rethrown unchanged with the span marked failure', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction('job');
      expect(() =>
        captureSpan('bad', {}, () => {
          throw 'plain string';
        }),
      ).toThrow('plain string');
      endTransaction('x');
    });
    expect(transport.spans[0]?.outcome).toBe('failure');
  });
});

describe('captureSpan with using', () => {
  const SCOPED = `
    export function scoped(getSpanId: () => string | undefined): (string | undefined)[] {
      const seen: (string | undefined)[] = [];
      {
        using _span = captureSpan('scoped block', { type: 'app.internal' });
        seen.push(getSpanId());
      }
      seen.push(getSpanId());
      return seen;
    }
    export async function scopedAsync(getSpanId: () => string | undefined): Promise<(string | undefined)[]> {
      const seen: (string | undefined)[] = [];
      {
        await using _span = captureSpan('async block');
        await sleep(1);
        seen.push(getSpanId());
      }
      seen.push(getSpanId());
      return seen;
    }
  `;

  it('the span covers the block (TypeScript-compiled `using` and `await using`)', async () => {
    const { scoped, scopedAsync } = compileAndRun<{ scoped: Function; scopedAsync: Function }>(SCOPED, false);
    const { transport } = testClient();
    await isolated(async () => {
      beginTransaction('job');
      const [inside, after] = scoped(getSpanId);
      expect(inside).toBeDefined();
      expect(after).toBeUndefined();
      const [insideAsync, afterAsync] = await scopedAsync(getSpanId);
      expect(insideAsync).toBeDefined();
      expect(afterAsync).toBeUndefined();
      expect(getTransactionId()).toBeDefined();
      endTransaction('x');
    });
    expect(transport.spans.map((s) => [s.name, s.type, s.subtype])).toEqual([
      ['scoped block', 'app', 'internal'],
      ['async block', 'code', 'custom'],
    ]);
    expectAllValid(transport);
  });

  const nativeUsing = (() => {
    try {
      new Function('{ using x = null; }');
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!nativeUsing)('native `using` (Node 24+) gives the same span', () => {
    const { transport } = testClient();
    const scoped = new Function(
      'captureSpan',
      'getSpanId',
      "{ using _span = captureSpan('native block'); var inside = getSpanId(); } return [inside, getSpanId()];",
    ) as (c: typeof captureSpan, g: typeof getSpanId) => (string | undefined)[];
    isolated(() => {
      beginTransaction('job');
      const [inside, after] = scoped(captureSpan, getSpanId);
      expect(inside).toBeDefined();
      expect(after).toBeUndefined();
      endTransaction('x');
    });
    expect(transport.spans.map((s) => s.name)).toEqual(['native block']);
  });

  it('plain calls: reading Symbol.dispose starts the span, calling it ends it', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction('job');
      const handle = captureSpan('manual');
      expect(getSpanId()).toBeUndefined();
      const dispose = handle[Symbol.dispose];
      expect(getSpanId()).toBeDefined();
      dispose();
      expect(getSpanId()).toBeUndefined();
      endTransaction('x');
    });
    expect(transport.spans.map((s) => s.name)).toEqual(['manual']);
  });

  it('outside a transaction: disposing is a no-op', () => {
    const { transport } = testClient();
    const dispose = captureSpan('nothing')[Symbol.dispose];
    expect(() => dispose()).not.toThrow();
    expect(transport.events).toHaveLength(0);
  });
});

describe('span stack traces', () => {
  it("spans at least spanStackTraceMinDuration long carry the caller's frames; skipFrames drops some", () => {
    const { transport } = testClient({ spanStackTraceMinDuration: '0ms' });
    isolated(() => {
      beginTransaction('job');
      function helper(skip: number) {
        return captureSpan(`skip ${skip}`, { skipFrames: skip }, () => 1);
      }
      function outer(skip: number) {
        return helper(skip);
      }
      outer(0);
      outer(1);
      endTransaction('x');
    });
    const [noSkip, skipOne] = transport.spans as Json[];
    expect(noSkip.stacktrace[0]).toMatchObject({
      function: 'helper',
      filename: 'test/runtime/capture-span.test.ts',
      library_frame: false,
    });
    expect(noSkip.stacktrace[1].function).toBe('outer');
    expect(skipOne.stacktrace[0].function).toBe('outer');
    expectAllValid(transport);
  });

  it('the default (5ms) leaves fast spans without a stack; a negative minimum never records one', async () => {
    const fast = testClient();
    isolated(() => {
      beginTransaction('job');
      captureSpan('fast', {}, () => 1);
      endTransaction('x');
    });
    expect(fast.transport.spans[0]?.stacktrace).toBeUndefined();
    const never = testClient({ spanStackTraceMinDuration: '-1ms' });
    await isolated(async () => {
      beginTransaction('job');
      await captureSpan('slow', {}, () => sleep(10));
      endTransaction('x');
    });
    expect(never.transport.spans[0]?.stacktrace).toBeUndefined();
    const slow = testClient();
    await isolated(async () => {
      beginTransaction('job');
      await captureSpan('slow', {}, () => sleep(10));
      endTransaction('x');
    });
    expect((slow.transport.spans[0]!.stacktrace as unknown[]).length).toBeGreaterThan(0);
  });
});
