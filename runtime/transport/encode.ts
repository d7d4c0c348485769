// NDJSON encoding of intake v2 lines. This runs once per event on the sender's tick, not in the
// caller's code path: the client's send() only queues, and a whole batch is stringified here in one go.
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
  return `${linePrefix[kind] ?? `{${JSON.stringify(kind)}:`}${JSON.stringify(event)}}\n`;
}

/**
 * Encodes events [0, count) of the parallel arrays into one string. An event that cannot be
 * stringified is left out and reported through onUnencodable; the others go on.
 */
export function encodeBatch(
  kinds: readonly EventKind[],
  events: readonly object[],
  count: number,
  onUnencodable: (kind: EventKind, error: unknown) => void,
): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    const kind = kinds[i] as EventKind;
    try {
      out += encodeLine(kind, events[i] as object);
    } catch (error) {
      onUnencodable(kind, error);
    }
  }
  return out;
}
