import { describe, expect, it } from 'vitest';
import {
  beginTransaction,
  captureException,
  captureMessage,
  defineSpan,
  endTransaction,
  wovenCall,
} from '../../runtime/index.js';
import { expectAllValid, HEX32, isolated, type Json, testClient } from './helpers.js';

function thrown(value: unknown): unknown {
  try {
    throw value;
  } catch (caught) {
    return caught;
  }
}

describe('captureException', () => {
  it('an Error: 32-hex id, type, message, parsed frames relative to cwd, culprit', () => {
    const { transport } = testClient();
    const id = captureException(new TypeError('bad input'));
    expect(id).toMatch(HEX32);
    const [error] = transport.errors as Json[];
    expect(error.id).toBe(id);
    expect(error.exception).toMatchObject({ type: 'TypeError', message: 'bad input', handled: true });
    const frame = error.exception.stacktrace[0];
    expect(frame.filename).toBe('test/runtime/errors.test.ts');
    expect(frame.abs_path).toBe(`${process.cwd()}/test/runtime/errors.test.ts`);
    expect(frame.lineno).toBeGreaterThan(0);
    expect(frame.colno).toBeGreaterThan(0);
    expect(frame.library_frame).toBe(false);
    expect(
      error.exception.stacktrace.some((f: Json) => f.library_frame && /node_modules|^node:/.test(f.filename)),
    ).toBe(true);
    expect(error.culprit).toContain('test/runtime/errors.test.ts');
    expect(error.timestamp).toBeTypeOf('number');
    expect(error.trace_id).toBeUndefined();
    expectAllValid(transport);
  });

  it('every kind of thrown value is captured without crashing', () => {
    const { transport } = testClient();
    const hostileMessage = new Error('x');
    Object.defineProperty(hostileMessage, 'message', {
      get: () => {
        throw new Error('getter');
      },
    });
    const hostileProxy = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
        getPrototypeOf: () => {
          throw new Error('trap');
        },
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    const values: unknown[] = [
      'a string',
      null,
      undefined,
      42,
      { plain: 'object', nested: { a: 1 } },
      { message: 'object with a message' },
      Symbol('sym'),
      hostileMessage,
      hostileProxy,
      Object.create(null),
      10n,
      () => 1,
    ];
    for (const value of values) expect(captureException(thrown(value), { handled: false })).toMatch(HEX32);
    const exceptions = (transport.errors as Json[]).map((e) => e.exception);
    expect(exceptions.map((e) => [e.type, e.message])).toEqual([
      ['string', 'a string'],
      ['null', 'null'],
      ['undefined', 'undefined'],
      ['number', '42'],
      ['Object', "{ plain: 'object', nested: { a: 1 } }"],
      ['Object', 'object with a message'],
      ['symbol', 'Symbol(sym)'],
      ['Error', ''],
      ['Object', expect.any(String)],
      ['Object', '[Object: null prototype] {}'],
      ['bigint', '10'],
      ['function', '() => 1'],
    ]);
    expect(exceptions.every((e) => e.handled === false)).toBe(true);
    // Non-errors have no stack of their own: the capture site stands in.
    expect(exceptions[0].stacktrace[0].filename).toBe('test/runtime/errors.test.ts');
    expectAllValid(transport);
  });

  it('cause chains are reported outermost first, cycles cut, non-error causes included', () => {
    const { transport } = testClient();
    const root = new RangeError('root');
    const middle = new Error('middle', { cause: root });
    const outer = new Error('outer', { cause: middle });
    const cyclic = new Error('a');
    const other = new Error('b', { cause: cyclic });
    (cyclic as { cause?: unknown }).cause = other;
    captureException(outer);
    captureException(cyclic);
    captureException(new Error('top', { cause: 'just a string' }));
    const [a, b, c] = (transport.errors as Json[]).map((e) => e.exception);
    expect(a.message).toBe('outer');
    expect(a.cause.map((x: Json) => [x.type, x.message])).toEqual([
      ['Error', 'middle'],
      ['RangeError', 'root'],
    ]);
    expect(a.cause[1].stacktrace.length).toBeGreaterThan(0);
    expect(b.cause.map((x: Json) => x.message)).toEqual(['b']);
    expect(c.cause).toEqual([{ type: 'string', message: 'just a string' }]);
    expectAllValid(transport);
  });

  it('error code and extra own properties become code and attributes', () => {
    const { transport } = testClient();
    const err = Object.assign(new Error('db down'), {
      code: 'ECONNREFUSED',
      port: 5432,
      self: undefined as unknown,
    });
    err.self = err;
    captureException(err);
    captureException(Object.assign(new Error('numeric'), { code: 503 }));
    const [a, b] = (transport.errors as Json[]).map((e) => e.exception);
    expect(a.code).toBe('ECONNREFUSED');
    expect(a.attributes).toEqual({
      port: 5432,
      self: expect.objectContaining({ name: 'Error', message: 'db down' }),
    });
    expect(b.code).toBe(503);
    expectAllValid(transport);
  });

  it('inside a transaction and a span: correlated ids, transaction summary, marks the outcome', () => {
    const { transport } = testClient();
    let ids: { tx?: string; trace?: string; span?: string } = {};
    isolated(() => {
      const tx = beginTransaction('request');
      wovenCall(defineSpan('work'), () => {
        captureException(new Error('in span'), { custom: { order: 7 }, context: { tags: { a: 'b' } } });
      });
      ids = { tx: tx?.id, trace: tx?.traceId };
      endTransaction('GET /');
    });
    ids.span = transport.spans[0]?.id as string;
    const [error] = transport.errors as Json[];
    expect(error.transaction_id).toBe(ids.tx);
    expect(error.trace_id).toBe(ids.trace);
    expect(error.parent_id).toBe(ids.span);
    expect(error.transaction).toEqual({ sampled: true, name: 'unnamed', type: 'request' });
    expect(error.context.custom).toEqual({ order: 7 });
    expect(error.context.tags).toEqual({ a: 'b' });
    expect(transport.transactions[0]?.outcome).toBe('failure');
    expectAllValid(transport);
  });

  it('tags given in the error context follow the label rules', () => {
    const { transport, warnings } = testClient();
    captureException(new Error('x'), { context: { tags: { 'a.b': 1, bad: {} as never } } });
    expect((transport.errors[0] as Json).context.tags).toEqual({ a_b: 1 });
    expect(warnings.some((w) => w.includes('"bad"'))).toBe(true);
    expectAllValid(transport);
  });

  it('date option sets the timestamp; a huge message is cut at longFieldMaxLength', () => {
    const { transport } = testClient({ longFieldMaxLength: 100 });
    captureException(new Error('m'.repeat(500)), { date: new Date(1_700_000_000_000) });
    const [error] = transport.errors as Json[];
    expect(error.timestamp).toBe(1_700_000_000_000_000);
    expect(error.exception.message).toHaveLength(100);
    expect(error.exception.message.endsWith('…')).toBe(true);
    expectAllValid(transport);
  });

  it('returns undefined without a client', async () => {
    const { client } = testClient();
    await client.close();
    expect(captureException(new Error('x'))).toBeUndefined();
    expect(captureMessage('x')).toBeUndefined();
  });
});

describe('captureMessage', () => {
  it('plain text with the call site as stack', () => {
    const { transport } = testClient();
    const id = captureMessage('hello');
    expect(id).toMatch(HEX32);
    const [error] = transport.errors as Json[];
    expect(error.log.message).toBe('hello');
    expect(error.log.param_message).toBeUndefined();
    expect(error.log.stacktrace[0].filename).toBe('test/runtime/errors.test.ts');
    expect(error.culprit).toContain('test/runtime/errors.test.ts');
    expectAllValid(transport);
  });

  it('params: formatted message plus the template for grouping; stack: false; error attached; level', () => {
    const { transport } = testClient();
    captureMessage(
      { message: 'user %s failed %d times', params: ['ann', 3] },
      { stack: false, level: 'warning', loggerName: 'auth' },
    );
    captureMessage(
      { message: 'value %j', params: { a: 1 } },
      { error: new Error('why'), custom: { k: 'v' } },
    );
    const [a, b] = transport.errors as Json[];
    expect(a.log).toEqual({
      message: 'user ann failed 3 times',
      param_message: 'user %s failed %d times',
      level: 'warning',
      logger_name: 'auth',
    });
    expect(b.log.message).toBe('value {"a":1}');
    expect(b.exception).toMatchObject({ type: 'Error', message: 'why' });
    expect(b.context.custom).toEqual({ k: 'v' });
    expectAllValid(transport);
  });

  it('odd messages do not throw', () => {
    const { transport } = testClient();
    for (const m of [
      undefined,
      null,
      12,
      Symbol('x'),
      { message: undefined },
      { message: 'x', params: Symbol('p') },
    ]) {
      expect(captureMessage(m as never)).toMatch(HEX32);
    }
    expectAllValid(transport);
  });
});

describe('a broken transport', () => {
  it('never breaks the app', () => {
    const { client, warnings } = testClient();
    (client as { transport: unknown }).transport = {
      send() {
        throw new Error('transport on fire');
      },
    };
    const spec = defineSpan('s');
    isolated(() => {
      client.beginTransaction('job');
      expect(wovenCall(spec, () => 5)).toBe(5);
      expect(client.captureException(new Error('x'))).toMatch(HEX32);
      expect(client.endTransaction('x')).toBeDefined();
    });
    expect(warnings.filter((w) => w.includes('transport on fire'))).toHaveLength(1);
  });
});
