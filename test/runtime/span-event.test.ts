// Span events encode themselves (runtime/span-event.ts): the fast line must be byte for byte what
// JSON.stringify gives for the same event, for every kind of span the runtime makes.
import { describe, expect, it } from 'vitest';
import { captureSpan, defineSpan, traceParentFromString, wovenCall } from '../../runtime/index.js';
import { SpanEvent } from '../../runtime/span-event.js';
import { ENCODE_NDJSON, encodeLine } from '../../runtime/transport/encode.js';
import { assertValidIntake } from '../helpers/intake-schema.js';
import { testClient } from './helpers.js';

const viaStringify = (event: object) => `{"span":${JSON.stringify(event)}}\n`;

const NAMES = [
  'work',
  'Cart.checkout',
  'quote " and \\ backslash',
  'tab\tnew\nline\u0001control',
  'unicode é 日本 😀',
  'lone surrogate \ud800 end',
  '',
];

describe('span events encode themselves exactly as JSON.stringify would', () => {
  it('woven spans with every name, dotted types, labels, failures and continued traces', () => {
    const { client, transport } = testClient({ transactionMaxSpans: -1 });
    const parent = traceParentFromString('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    client.beginTransaction('request', { traceParent: parent });
    for (const name of NAMES) {
      wovenCall(defineSpan(name), () => 1);
      wovenCall(
        defineSpan(name, 'db.postgresql.query', { leaf: true, labels: { team: 'billing', n: 1 } }),
        () => 2,
      );
      expect(() =>
        wovenCall(defineSpan(name, name), () => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
    }
    client.endTransaction('done');
    const spans = transport.ofKind('span');
    expect(spans).toHaveLength(NAMES.length * 3);
    for (const event of spans) {
      expect(event).toBeInstanceOf(SpanEvent);
      const line = encodeLine('span', event);
      expect(line).toBe(viaStringify(event));
      assertValidIntake('span', JSON.parse(line).span);
    }
  });

  it('captureSpan spans with links and a stack trace', () => {
    const { client, transport } = testClient({ spanStackTraceMinDuration: 0 });
    client.beginTransaction('job');
    captureSpan(
      'linked "one"',
      { type: 'external.http.post', links: ['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'] },
      () => 3,
    );
    client.endTransaction();
    const [event] = transport.ofKind('span');
    expect(event?.links).toBeDefined();
    expect(event?.stacktrace).toBeDefined();
    expect(encodeLine('span', event as object)).toBe(viaStringify(event as object));
  });

  it('leaves unusual values to JSON.stringify (a non-finite duration becomes null)', () => {
    const event = new SpanEvent(
      'b7ad6b7169203331',
      'b7ad6b7169203332',
      'b7ad6b7169203333',
      '0af7651916cd43dd8448eb211c80319c',
      'odd',
      'code',
      undefined,
      undefined,
      1,
      Number.NaN,
      'success',
      undefined,
      undefined,
      undefined,
      undefined,
    );
    expect(event[ENCODE_NDJSON]()).toBeUndefined();
    expect(encodeLine('span', event)).toBe(viaStringify(event));
    expect(JSON.parse(encodeLine('span', event)).span.duration).toBeNull();
  });

  it('plain objects still go through JSON.stringify', () => {
    const plain = { id: 'x', name: 'y', extra: [1, 2] };
    expect(encodeLine('span', plain)).toBe(viaStringify(plain));
  });
});
