// NDJSON encoding of intake v2 lines. This runs on the sender's tick, not in the caller's code
// path: the client's send() only queues, and the sender encodes a batch into one string.
import type { EventKind } from './transport.js';

// `{"span":` and friends, built once: concatenation is cheaper than wrapping each event in an object.
const linePrefix: Record<string, string> = {
  metadata: '{"metadata":',
  transaction: '{"transaction":',
  span: '{"span":',
  error: '{"error":',
  metricset: '{"metricset":',
};

/** One NDJSON line, newline included. Throws what JSON.stringify throws (cycles, BigInt). */
export function encodeLine(kind: EventKind | 'metadata', event: object): string {
  const json = JSON.stringify(event) as string | undefined;
  // undefined for a function or a symbol: there is no line to send.
  if (json === undefined) throw new TypeError(`a ${typeof event} is not an event`);
  return `${linePrefix[kind] ?? `{${JSON.stringify(kind)}:`}${json}}\n`;
}
