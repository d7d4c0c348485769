import { describe, expect, it } from 'vitest';
import {
  beginTransaction,
  endTransaction,
  label,
  setCustomContext,
  setTransactionName,
  setTransactionResult,
  setUserContext,
} from '../../runtime/index.js';
import { expectAllValid, isolated, type Json, testClient } from './helpers.js';

describe('context and labels', () => {
  it('labels: dict.update semantics, keys sanitised, bad values dropped with a warning', () => {
    const { transport, warnings } = testClient();
    isolated(() => {
      beginTransaction('job');
      label({ 'a.b': 1, 'c*d': 'x', 'e"f': true, keep: 'old' });
      label({
        keep: 'new',
        obj: {} as never,
        nul: null as never,
        arr: [1] as never,
        nan: Number.NaN,
        fn: (() => 1) as never,
      });
      label({ long: 'x'.repeat(2000) });
      endTransaction('x');
    });
    const tags = (transport.transactions[0]!.context as { tags: Record<string, unknown> }).tags;
    expect(Object.keys(tags).sort()).toEqual(['a_b', 'c_d', 'e_f', 'keep', 'long']);
    expect(tags.keep).toBe('new');
    expect(tags.long).toHaveLength(1024);
    expect((tags.long as string).endsWith('…')).toBe(true);
    for (const bad of ['obj', 'nul', 'arr', 'nan', 'fn'])
      expect(warnings.some((w) => w.includes(`"${bad}"`))).toBe(true);
    expectAllValid(transport);
  });

  it('custom context merges, survives cycles and huge values, and is a snapshot', () => {
    const { transport } = testClient();
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const huge = { big: 'y'.repeat(50_000), many: Array.from({ length: 10_000 }, (_, i) => i) };
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 100; i++) cursor = cursor.next = {} as Record<string, unknown>;
    const throwing = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get: () => {
        throw new Error('getter');
      },
    });
    isolated(() => {
      beginTransaction('job');
      setCustomContext({ a: 1, circular });
      setCustomContext({
        b: 2n as never,
        huge,
        deep,
        throwing,
        when: new Date(0),
        sym: Symbol('s') as never,
      });
      circular.name = 'changed later';
      endTransaction('x');
    });
    const custom = (transport.transactions[0]!.context as { custom: Record<string, Json> }).custom;
    expect(custom.a).toBe(1);
    expect(custom.b).toBe('2');
    expect(custom.circular).toEqual({ name: 'loop', self: '[Circular]' });
    expect(custom.huge.big).toHaveLength(10_000);
    expect(custom.huge.many.length).toBeLessThanOrEqual(201);
    expect(custom.throwing).toEqual({ boom: '[Throws]' });
    expect(custom.when).toBe('1970-01-01T00:00:00.000Z');
    expect(JSON.stringify(custom).length).toBeLessThan(200_000);
    expectAllValid(transport);
  });

  it('user context: only given fields change; values truncated', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction('job');
      setUserContext({ username: 'ann', userId: 42 });
      setUserContext({ email: `${'e'.repeat(2000)}@x` });
      endTransaction('x');
    });
    const user = (transport.transactions[0]!.context as { user: Record<string, unknown> }).user;
    expect(user.username).toBe('ann');
    expect(user.id).toBe(42);
    expect(user.email).toHaveLength(1024);
    expectAllValid(transport);
  });

  it('truncates long transaction names, types and results to 1024 with an ellipsis', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction('t'.repeat(3000));
      endTransaction('n'.repeat(3000), 'r'.repeat(3000));
    });
    const tx = transport.transactions[0]!;
    for (const key of ['name', 'type', 'result']) {
      expect((tx[key] as string).length).toBe(1024);
      expect((tx[key] as string).endsWith('…')).toBe(true);
    }
    expectAllValid(transport);
  });

  it('links from traceparents end up on the transaction', () => {
    const { transport } = testClient();
    isolated(() => {
      beginTransaction('job', {
        links: [
          '00-12345678901234567890123456789012-1234567890123456-01',
          'garbage',
          { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) },
        ],
      });
      endTransaction('x');
    });
    expect(transport.transactions[0]?.links).toEqual([
      { trace_id: '12345678901234567890123456789012', span_id: '1234567890123456' },
      { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) },
    ]);
    expectAllValid(transport);
  });
});

describe('hostile input never reaches user code as a throw', () => {
  const hostile = new Proxy(
    {},
    {
      get: () => {
        throw new Error('trap');
      },
      ownKeys: () => {
        throw new Error('trap');
      },
    },
  );
  const badToString = {
    toString() {
      throw new Error('toString');
    },
  };

  it('API functions with a Proxy that throws and objects whose toString throws', () => {
    const { transport, client } = testClient();
    isolated(() => {
      beginTransaction('job');
      expect(() => {
        label(hostile as never);
        setCustomContext(hostile as never);
        setUserContext(hostile as never);
        setTransactionName(badToString as never);
        setTransactionResult(badToString as never);
      }).not.toThrow();
      expect(client.endTransaction(badToString as never, badToString as never)).toBeDefined();
    });
    expect(transport.transactions).toHaveLength(1);
    expectAllValid(transport);
  });

  it('a Client built from a Proxy falls back to defaults with a warning', async () => {
    const { Client } = await import('../../runtime/index.js');
    const warnings: string[] = [];
    const logger = { error() {}, warn: (m: string) => warnings.push(m), info() {}, debug() {} };
    const client = new Client(hostile as never, { logger });
    expect(client.config.serviceName).toBe('unknown-apm-weaver-service');
    expect(warnings.some((w) => w.includes('could not be read'))).toBe(true);
    await client.close();
  });
});
