// The intake v2 `span` event a Span reports when it ends, with a fast NDJSON encoder: JSON.stringify of the
// whole event was the largest main-thread cost per woven call (bench/). Ids are lowercase hex the runtime made
// or validated and numbers are finite, so only the four keyword strings need quoting (cached per string), and
// nested parts (context, links, stacktrace) still go through JSON.stringify. Own fields, in this order, are
// exactly the plain object reported before: JSON.stringify(event) and the fast line are byte for byte the same.
import type { SpanContext } from './span.js';
import type { StackFrame } from './stack.js';
import type { Link, Outcome } from './transaction.js';
import { ENCODE_NDJSON } from './transport/encode.js';

const quotedCache = new Map<string, string>();
const QUOTED_CACHE_MAX = 1024;

/** JSON.stringify(value) for a string, remembered: span names and types repeat. */
function quoted(value: string): string {
  let q = quotedCache.get(value);
  if (q === undefined) {
    q = JSON.stringify(value);
    if (quotedCache.size < QUOTED_CACHE_MAX) quotedCache.set(value, q);
  }
  return q;
}

/** `,"key":<json>` for an optional value; '' when undefined (JSON.stringify omits it too). */
function optional(key: string, value: unknown): string {
  return value === undefined ? '' : `,"${key}":${JSON.stringify(value)}`;
}

export class SpanEvent {
  constructor(
    readonly id: string,
    readonly transaction_id: string,
    readonly parent_id: string,
    readonly trace_id: string,
    readonly name: string,
    readonly type: string,
    readonly subtype: string | undefined,
    readonly action: string | undefined,
    readonly timestamp: number,
    readonly duration: number,
    readonly outcome: Outcome,
    readonly sample_rate: number | undefined,
    readonly context: SpanContext | undefined,
    readonly links: Link[] | undefined,
    readonly stacktrace: StackFrame[] | undefined,
  ) {}

  /** The NDJSON line, or undefined when a value is unusual enough to leave to JSON.stringify. */
  [ENCODE_NDJSON](): string | undefined {
    if (
      typeof this.name !== 'string' ||
      typeof this.type !== 'string' ||
      !Number.isFinite(this.timestamp) ||
      !Number.isFinite(this.duration) ||
      (this.sample_rate !== undefined && !Number.isFinite(this.sample_rate))
    ) {
      return undefined;
    }
    return (
      `{"span":{"id":"${this.id}","transaction_id":"${this.transaction_id}","parent_id":"${this.parent_id}",` +
      `"trace_id":"${this.trace_id}","name":${quoted(this.name)},"type":${quoted(this.type)}` +
      (this.subtype === undefined ? '' : `,"subtype":${quoted(this.subtype)}`) +
      (this.action === undefined ? '' : `,"action":${quoted(this.action)}`) +
      `,"timestamp":${this.timestamp},"duration":${this.duration},"outcome":${quoted(this.outcome)}` +
      (this.sample_rate === undefined ? '' : `,"sample_rate":${this.sample_rate}`) +
      optional('context', this.context) +
      optional('links', this.links) +
      optional('stacktrace', this.stacktrace) +
      '}}\n'
    );
  }
}
