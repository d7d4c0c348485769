// What the demo must receive: one trace per workload request, with the woven spans nested as the code
// calls them. A child is expected somewhere below its parent rather than right under it, so spans that
// instrumentation adds in between (an HTTP exit span around the inventory call) do not break the match.
import type { Waterfall, WaterfallRow } from '../../server/waterfall/index.js';

export interface ExpectedSpan {
  name: string;
  outcome?: 'success' | 'failure';
  children?: ExpectedSpan[];
}

export interface ExpectedTrace {
  /** The request that produces it, as the workload sends it. */
  request: { method: string; path: string; status: number };
  root: ExpectedSpan;
  /** Error messages (substrings) that must be in the trace. */
  errors?: string[];
}

const PRICING: ExpectedSpan = { name: 'quote', children: [{ name: 'subtotal' }, { name: 'addTax' }] };

export const EXPECTED_TRACES: ExpectedTrace[] = [
  {
    request: { method: 'GET', path: '/orders/42', status: 200 },
    root: {
      name: 'GET /orders/{id}',
      outcome: 'success',
      children: [
        { name: 'OrderStore.find' },
        {
          name: 'checkStock',
          children: [{ name: 'GET /inventory/{sku}', children: [{ name: 'stockLevel' }] }],
        },
        PRICING,
      ],
    },
  },
  {
    request: { method: 'POST', path: '/orders/42/checkout', status: 200 },
    root: {
      name: 'POST /orders/{id}/checkout',
      outcome: 'success',
      children: [
        { name: 'OrderStore.find' },
        PRICING,
        { name: 'PaymentGateway.charge', outcome: 'success' },
        { name: 'Mark order paid' },
      ],
    },
  },
  {
    request: { method: 'POST', path: '/orders/13/checkout', status: 500 },
    root: {
      name: 'POST /orders/{id}/checkout',
      outcome: 'failure',
      children: [{ name: 'OrderStore.find' }, PRICING, { name: 'PaymentGateway.charge', outcome: 'failure' }],
    },
    errors: ['card declined for order 13'],
  },
];

/** The rows below `rows[index]` (its whole subtree, in order). */
function descendants(rows: WaterfallRow[], index: number): number[] {
  const depth = rows[index]?.depth ?? 0;
  const found: number[] = [];
  for (let i = index + 1; i < rows.length && (rows[i]?.depth ?? 0) > depth; i++) found.push(i);
  return found;
}

function matchesAt(rows: WaterfallRow[], index: number, expected: ExpectedSpan): boolean {
  const row = rows[index];
  if (!row || row.name !== expected.name) return false;
  if (expected.outcome !== undefined && row.outcome !== expected.outcome) return false;
  const below = descendants(rows, index);
  return (expected.children ?? []).every((child) => below.some((i) => matchesAt(rows, i, child)));
}

export function traceMatches(waterfall: Waterfall, expected: ExpectedTrace): boolean {
  if (!waterfall.hasRoot || waterfall.rows[0]?.depth !== 0) return false;
  if (!matchesAt(waterfall.rows, 0, expected.root)) return false;
  const messages = [...waterfall.errors, ...waterfall.rows.flatMap((row) => row.errors)].map(
    (error) => error.message,
  );
  return (expected.errors ?? []).every((want) => messages.some((message) => message.includes(want)));
}

/** Pairs each expected trace with a distinct received one; undefined where none matches. */
export function matchExpected(
  received: Waterfall[],
  expected: ExpectedTrace[] = EXPECTED_TRACES,
): Array<Waterfall | undefined> {
  const used = new Set<string>();
  return expected.map((want) => {
    const found = received.find((waterfall) => !used.has(waterfall.traceId) && traceMatches(waterfall, want));
    if (found) used.add(found.traceId);
    return found;
  });
}

/** What a received trace lacks to match, e.g. `quote > subtotal`; undefined when it matches. */
function missingPath(rows: WaterfallRow[], index: number, expected: ExpectedSpan): string | undefined {
  const row = rows[index];
  if (!row || row.name !== expected.name) return expected.name;
  if (expected.outcome !== undefined && row.outcome !== expected.outcome) {
    return `${expected.name} with outcome ${expected.outcome} (got ${row.outcome})`;
  }
  const below = descendants(rows, index);
  for (const child of expected.children ?? []) {
    if (below.some((i) => matchesAt(rows, i, child))) continue;
    const candidates = below.filter((i) => rows[i]?.name === child.name);
    const deeper = candidates.map((i) => missingPath(rows, i, child)).find(Boolean);
    return `${expected.name} > ${deeper ?? child.name}`;
  }
  return undefined;
}

/** One line per expected trace: the request, and when it did not arrive, what the nearest received one lacks. */
export function describeExpected(expected: ExpectedTrace, received: Waterfall[] = []): string {
  const { method, path } = expected.request;
  const line = `${method} ${path} -> "${expected.root.name}" (${expected.root.outcome ?? 'any outcome'})`;
  // Nearest first: same root name, and the same root outcome ahead of a different one.
  const outcomeMatches = (w: Waterfall) => Number(w.rows[0]?.outcome === expected.root.outcome);
  const sameRoot = received
    .filter((w) => w.rows[0]?.name === expected.root.name)
    .sort((a, b) => outcomeMatches(b) - outcomeMatches(a));
  const gaps = sameRoot.map((w) => missingPath(w.rows, 0, expected.root)).filter(Boolean);
  return gaps.length > 0 ? `${line}; a received "${expected.root.name}" lacks ${gaps[0]}` : line;
}
