// The demo's pass/fail decision: a received trace matches only with the expected names, nesting,
// outcomes and errors, and a failure names what is missing.
import { describe, expect, it } from 'vitest';
import {
  describeExpected,
  EXPECTED_TRACES,
  type ExpectedTrace,
  matchExpected,
  traceMatches,
} from '../../scripts/demo/expected-traces.js';
import { failureReport } from '../../scripts/demo/report.js';
import type { TraceError, Waterfall, WaterfallRow } from '../../server/waterfall/index.js';

function waterfall(
  traceId: string,
  rows: Array<[name: string, depth: number, outcome?: string]>,
  errors: string[] = [],
): Waterfall {
  const built: WaterfallRow[] = rows.map(([name, depth, outcome], index) => ({
    id: `${traceId}-${index}`,
    kind: depth === 0 ? 'transaction' : 'span',
    name,
    type: 'app',
    outcome: outcome ?? 'success',
    service: 'shop',
    depth,
    offsetMs: index,
    durationMs: 1,
    parentMissing: false,
    errors: [],
  }));
  const traceErrors = errors.map(
    (message, index): TraceError => ({
      id: `e${index}`,
      service: 'shop',
      timestampUs: 0,
      type: 'Error',
      message,
      frames: [],
    }),
  );
  return {
    traceId,
    name: rows[0]?.[0] ?? '',
    services: ['shop'],
    startUs: 0,
    durationMs: 10,
    outcome: rows[0]?.[2] ?? 'success',
    hasRoot: true,
    rows: built,
    errors: traceErrors,
    transactionCount: 1,
    spanCount: rows.length - 1,
    errorCount: errors.length,
    droppedEvents: 0,
    version: 1,
    lastReceivedAt: 0,
  };
}

const failedCheckout = EXPECTED_TRACES[2]!;
const failedRows: Array<[string, number, string?]> = [
  ['POST /orders/{id}/checkout', 0, 'failure'],
  ['OrderStore.find', 1],
  ['quote', 1],
  ['subtotal', 2],
  ['addTax', 2],
  ['PaymentGateway.charge', 1, 'failure'],
];

describe('expected demo traces', () => {
  it('match the shape the demo produces, with spans in between allowed', () => {
    expect(
      traceMatches(waterfall('a', failedRows, ['card declined for order 13 (106.8 EUR)']), failedCheckout),
    ).toBe(true);
    const withExitSpan = waterfall('b', [
      ['GET /orders/{id}', 0],
      ['OrderStore.find', 1],
      ['checkStock', 1],
      ['GET 127.0.0.1:1234', 2],
      ['GET /inventory/{sku}', 3],
      ['stockLevel', 4],
      ['quote', 1],
      ['subtotal', 2],
      ['addTax', 2],
    ]);
    expect(traceMatches(withExitSpan, EXPECTED_TRACES[0]!)).toBe(true);
  });

  it('reject wrong nesting, outcomes and missing errors', () => {
    const flat = failedRows.map(([name, depth, outcome]): [string, number, string?] => [
      name,
      Math.min(depth, 1),
      outcome,
    ]);
    expect(traceMatches(waterfall('a', flat, ['card declined for order 13']), failedCheckout)).toBe(false);
    expect(traceMatches(waterfall('b', failedRows), failedCheckout)).toBe(false);
    const succeeded = failedRows.map(([name, depth]): [string, number] => [name, depth]);
    expect(traceMatches(waterfall('c', succeeded, ['card declined for order 13']), failedCheckout)).toBe(
      false,
    );
  });

  it('use each received trace for one expectation only', () => {
    const twice: ExpectedTrace[] = [failedCheckout, failedCheckout];
    const one = waterfall('a', failedRows, ['card declined for order 13']);
    expect(matchExpected([one], twice)).toEqual([one, undefined]);
  });

  it('say what the nearest received trace lacks', () => {
    const noSubtotal = failedRows.filter(([name]) => name !== 'subtotal');
    const received = [waterfall('a', noSubtotal, ['card declined for order 13'])];
    expect(describeExpected(failedCheckout, received)).toBe(
      'POST /orders/13/checkout -> "POST /orders/{id}/checkout" (failure); ' +
        'a received "POST /orders/{id}/checkout" lacks POST /orders/{id}/checkout > quote > subtotal',
    );
    expect(describeExpected(failedCheckout, [])).toBe(
      'POST /orders/13/checkout -> "POST /orders/{id}/checkout" (failure)',
    );
  });

  it('fail the run on a wrong response status even when every trace arrived', () => {
    const received = [waterfall('a', failedRows, ['card declined for order 13'])];
    const verdict = { received, expected: [failedCheckout], timeoutMs: 1000, shopStderr: '' };
    const ok = { line: 'POST /orders/13/checkout -> 500 {}', ok: true, expectedStatus: 500 };
    expect(failureReport({ ...verdict, workload: [ok] })).toBeUndefined();
    const wrong = { line: 'POST /orders/13/checkout -> 200 {}', ok: false, expectedStatus: 500 };
    expect(failureReport({ ...verdict, workload: [wrong] })).toBe(
      'demo failed: 1 request(s) did not get the expected status:\n' +
        '  - POST /orders/13/checkout -> 200 {} (expected 500)\n',
    );
  });
});
