// Hand-made intake v2 events for a small checkout trace, valid against the spec schemas:
//   transaction "POST /checkout" 0..100 ms
//     span "validate cart"      5..15 ms  (app)
//     span "charge card"       20..80 ms  (external.http) outcome failure
//       span "SELECT payments" 30..40 ms  (db.postgresql.query)
//       error CardDeclined on "charge card"
import { randomBytes } from 'node:crypto';
import type { TraceEventInput } from '../../server/waterfall/index.js';

export const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export interface CheckoutTrace {
  traceId: string;
  transactionId: string;
  validateId: string;
  chargeId: string;
  queryId: string;
  errorId: string;
  metadata: Record<string, unknown>;
  /** [kind, object] pairs in the order an agent would send them (children end first). */
  events: Array<[kind: 'transaction' | 'span' | 'error', data: Record<string, unknown>]>;
}

export function checkoutTrace(
  options: { service?: string; startUs?: number; name?: string } = {},
): CheckoutTrace {
  const traceId = hex(16);
  const [transactionId, validateId, chargeId, queryId, errorId] = [hex(8), hex(8), hex(8), hex(8), hex(16)];
  const startUs = options.startUs ?? Date.now() * 1000;
  const span = (
    id: string,
    parentId: string,
    name: string,
    type: string,
    fromMs: number,
    toMs: number,
    extra = {},
  ) => ({
    id,
    trace_id: traceId,
    transaction_id: transactionId,
    parent_id: parentId,
    name,
    type,
    timestamp: startUs + fromMs * 1000,
    duration: toMs - fromMs,
    outcome: 'success',
    ...extra,
  });
  return {
    traceId,
    transactionId,
    validateId,
    chargeId,
    queryId,
    errorId,
    metadata: {
      service: {
        name: options.service ?? 'checkout-service',
        environment: 'test',
        agent: { name: 'apm-weaver', version: '0.1.0' },
        language: { name: 'javascript' },
      },
    },
    events: [
      ['span', span(validateId, transactionId, 'validate cart', 'app.internal', 5, 15)],
      [
        'span',
        span(queryId, chargeId, 'SELECT payments', 'db', 30, 40, { subtype: 'postgresql', action: 'query' }),
      ],
      [
        'error',
        {
          id: errorId,
          trace_id: traceId,
          transaction_id: transactionId,
          parent_id: chargeId,
          timestamp: startUs + 79_000,
          culprit: 'chargeCard (src/payments.ts)',
          exception: {
            type: 'CardDeclined',
            message: 'card 4242 declined',
            handled: false,
            stacktrace: [
              { function: 'chargeCard', filename: 'src/payments.ts', lineno: 42, colno: 11 },
              { function: 'checkout', filename: 'src/checkout.ts', lineno: 17, colno: 5 },
              { function: 'handle', filename: 'src/server.ts', lineno: 88, colno: 3 },
              { function: 'emit', filename: 'node:events', lineno: 519, library_frame: true },
            ],
          },
        },
      ],
      [
        'span',
        span(chargeId, transactionId, 'charge card', 'external', 20, 80, {
          subtype: 'http',
          action: 'POST',
          outcome: 'failure',
        }),
      ],
      [
        'transaction',
        {
          id: transactionId,
          trace_id: traceId,
          name: options.name ?? 'POST /checkout',
          type: 'request',
          timestamp: startUs,
          duration: 100,
          outcome: 'failure',
          result: 'HTTP 5xx',
          sampled: true,
          span_count: { started: 3, dropped: 0 },
        },
      ],
    ],
  };
}

export function toInputs(trace: CheckoutTrace, receivedAt = Date.now()): TraceEventInput[] {
  return trace.events.map(([kind, data]) => ({ kind, data, metadata: trace.metadata, receivedAt }));
}

/** The NDJSON body an agent would post: metadata first, then the events. */
export function toNdjson(trace: CheckoutTrace): string {
  const lines = [{ metadata: trace.metadata }, ...trace.events.map(([kind, data]) => ({ [kind]: data }))];
  return `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
}
