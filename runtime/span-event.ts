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

/**
 * Marks a runtime span event on its prototype: what the transport worker's span records assume of an event (these
 * fields, with these meanings). Every copy of the runtime in a process (the sender's own file, another bundle) marks
 * its SpanEvent alike, so each copy's spans travel as binary records; bump the version when the fields change.
 */
export const SPAN_EVENT_V1: unique symbol = Symbol.for('apm-weaver.spanEvent.v1') as never;

/** What a plain span's record needs of its transaction (every copy's Transaction has these). */
export interface PlainSpanTransaction {
  readonly id: string;
  readonly traceId: string;
  readonly sampleRate: number | undefined;
}

/** What a plain span's record needs of its kind: a SpanKind, never mutated, so its identity stands for its strings. */
export interface PlainSpanKind {
  readonly name: string;
  readonly type: string;
  readonly subtype: string | undefined;
  readonly action: string | undefined;
}

/**
 * Takes a plain span (no context, links or stack trace: every woven call) as its parts, without a SpanEvent: the
 * id's characters as four words of `idWords` from `idAt` (ids.ts poolWords) when given, else from `id`. True when
 * taken (written, or dropped and counted); false when the span must be reported as a SpanEvent instead (no
 * transport worker yet, or a span the worker's record cannot hold).
 */
export type SendPlainSpan = (
  transaction: PlainSpanTransaction,
  kind: PlainSpanKind,
  id: string,
  idWords: Uint32Array | undefined,
  idAt: number,
  parentId: string,
  outcome: string,
  timestamp: number,
  duration: number,
) => boolean;

/** A transport that takes plain spans as parts (the worker transport, and the deferred one in front of it). */
export interface PlainSpanSender {
  sendPlainSpan: SendPlainSpan;
}

/**
 * A Reporter (Client) that can take plain spans as parts has a SendPlainSpan under this key: Span.end then builds no
 * SpanEvent for the transport worker to take apart again. Symbol.for, versioned: every copy of the runtime in the
 * process agrees on it, and one whose spans or reporters have a different contract uses another key.
 */
export const REPORT_PLAIN_SPAN_V1: unique symbol = Symbol.for('apm-weaver.reportPlainSpan.v1') as never;

// Fields are `declare`d and assigned once in the constructor (parameter properties would be defined as class
// fields first and assigned again: one event per span).
export class SpanEvent {
  declare readonly id: string;
  declare readonly transaction_id: string;
  declare readonly parent_id: string;
  declare readonly trace_id: string;
  declare readonly name: string;
  declare readonly type: string;
  declare readonly subtype: string | undefined;
  declare readonly action: string | undefined;
  declare readonly timestamp: number;
  declare readonly duration: number;
  declare readonly outcome: Outcome;
  declare readonly sample_rate: number | undefined;
  declare readonly context: SpanContext | undefined;
  declare readonly links: Link[] | undefined;
  declare readonly stacktrace: StackFrame[] | undefined;

  constructor(
    id: string,
    transaction_id: string,
    parent_id: string,
    trace_id: string,
    name: string,
    type: string,
    subtype: string | undefined,
    action: string | undefined,
    timestamp: number,
    duration: number,
    outcome: Outcome,
    sample_rate: number | undefined,
    context: SpanContext | undefined,
    links: Link[] | undefined,
    stacktrace: StackFrame[] | undefined,
  ) {
    this.id = id;
    this.transaction_id = transaction_id;
    this.parent_id = parent_id;
    this.trace_id = trace_id;
    this.name = name;
    this.type = type;
    this.subtype = subtype;
    this.action = action;
    this.timestamp = timestamp;
    this.duration = duration;
    this.outcome = outcome;
    this.sample_rate = sample_rate;
    this.context = context;
    this.links = links;
    this.stacktrace = stacktrace;
  }

  /** On the prototype, not an own field: JSON.stringify(event) stays the plain event. */
  get [SPAN_EVENT_V1](): true {
    return true;
  }

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
