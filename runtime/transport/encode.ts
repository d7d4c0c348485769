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

/**
 * An event may encode itself (the runtime's span events do, much faster than JSON.stringify): a method under this
 * key returns the whole line, or undefined to leave the event to JSON.stringify. Symbol.for: bundled copies agree.
 */
export const ENCODE_NDJSON: unique symbol = Symbol.for('apm-weaver.encodeNdjson.v1') as never;

interface SelfEncoding {
  [ENCODE_NDJSON]?: () => string | undefined;
}

/** One NDJSON line, newline included. Throws what JSON.stringify throws (cycles, BigInt). */
export function encodeLine(kind: EventKind | 'metadata', event: object): string {
  const encodeSelf = (event as SelfEncoding)[ENCODE_NDJSON];
  if (typeof encodeSelf === 'function') {
    const line = encodeSelf.call(event);
    if (line !== undefined) return line;
  }
  const json = JSON.stringify(event) as string | undefined;
  // undefined for a function or a symbol: there is no line to send.
  if (json === undefined) throw new TypeError(`a ${typeof event} is not an event`);
  return `${linePrefix[kind] ?? `{${JSON.stringify(kind)}:`}${json}}\n`;
}
