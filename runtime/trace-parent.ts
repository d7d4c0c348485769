// W3C trace context: traceparent and tracestate, with Elastic's `es` tracestate entry
// (../shared/spec/AGENT-RULES.md sections 2-4; vectors in json-specs/w3c_distributed_tracing.json).

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(.*)$/;
const ALL_ZERO = /^0+$/;
// A simple key, or a multi-tenant `tenant@system` key.
const TRACESTATE_KEY =
  /^(?:[a-z0-9][a-z0-9_*/-]{0,255}|[a-z0-9][a-z0-9_*/-]{0,240}@[a-z][a-z0-9_*/-]{0,13})$/;
// Printable ASCII except `,` and `=`, at most 256 characters, not ending in a space.
const TRACESTATE_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

export class TraceParent {
  constructor(
    readonly traceId: string,
    /** The id of the calling span or transaction: the parent of whatever continues this trace. */
    readonly spanId: string,
    /** Trace flags as a number; bit 0 is "sampled". */
    readonly flags: number,
    /** The validated tracestate header to propagate, or undefined (none, blank or invalid). */
    readonly tracestate: string | undefined = undefined,
    readonly version = '00',
  ) {}

  get sampled(): boolean {
    return (this.flags & 1) === 1;
  }

  /** The sample rate the trace root recorded in `es=s:<rate>`, or undefined when absent or invalid. */
  get sampleRate(): number | undefined {
    return this.tracestate === undefined ? undefined : esSampleRate(this.tracestate);
  }

  /** The `traceparent` header value (version 00). */
  toString(): string {
    return `00-${this.traceId}-${this.spanId}-${this.flags < 16 ? '0' : ''}${this.flags.toString(16)}`;
  }
}

/** Parses a `traceparent` value; undefined when invalid. */
export function traceParentFromString(value: unknown, tracestate?: string): TraceParent | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value.replace(/[ \t]+$/, ''));
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as string[];
  if (version === 'ff' || ALL_ZERO.test(traceId!) || ALL_ZERO.test(spanId!)) return undefined;
  // Version 00 allows nothing after the flags; later versions may append fields after a `-`.
  if (rest !== '' && (version === '00' || !rest!.startsWith('-'))) return undefined;
  return new TraceParent(traceId!, spanId!, Number.parseInt(flags!, 16), tracestate, version);
}

/** Header containers we read: plain objects (Node's IncomingHttpHeaders too), WHATWG Headers, [name, value] pairs. */
export type HeadersLike =
  | Record<string, string | string[] | undefined>
  | { get(name: string): string | null }
  | Iterable<readonly [string, string]>;

/** Reads `traceparent` (or the legacy `elastic-apm-traceparent`) and `tracestate`, case-insensitively. */
export function traceParentFromHeaders(headers: HeadersLike | null | undefined): TraceParent | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  let values: Map<string, string[]>;
  try {
    values = collect(headers);
  } catch {
    return undefined;
  }
  let parents = values.get('traceparent');
  if (parents === undefined) parents = values.get('elastic-apm-traceparent');
  if (parents === undefined || parents.length !== 1) return undefined;
  return traceParentFromString(parents[0], parseTracestate(values.get('tracestate')));
}

function collect(headers: HeadersLike): Map<string, string[]> {
  const wanted = new Map<string, string[]>();
  const add = (name: string, value: unknown) => {
    const key = name.toLowerCase();
    if (key !== 'traceparent' && key !== 'tracestate' && key !== 'elastic-apm-traceparent') return;
    const list = wanted.get(key) ?? [];
    if (Array.isArray(value)) for (const v of value) list.push(String(v));
    else if (value !== undefined && value !== null) list.push(String(value));
    wanted.set(key, list);
  };
  if (
    typeof (headers as { get?: unknown }).get === 'function' &&
    typeof (headers as Headers).has === 'function'
  ) {
    // WHATWG Headers joins repeated headers with ", ": a doubled traceparent then fails to parse, as it should.
    for (const name of ['traceparent', 'tracestate', 'elastic-apm-traceparent']) {
      const value = (headers as Headers).get(name);
      if (value !== null) add(name, value);
    }
  } else if (
    Array.isArray(headers) ||
    (Symbol.iterator in headers && typeof headers[Symbol.iterator] === 'function')
  ) {
    for (const pair of headers as Iterable<readonly [string, string]>) add(pair[0], pair[1]);
  } else {
    for (const [name, value] of Object.entries(headers)) add(name, value);
  }
  return wanted;
}

/**
 * Joins repeated tracestate headers with `,` and validates the list: undefined for none, blank or invalid
 * (an invalid tracestate is dropped, not propagated). Whitespace around members is tolerated.
 */
export function parseTracestate(values: readonly string[] | undefined): string | undefined {
  if (values === undefined) return undefined;
  const members: string[] = [];
  const keys = new Set<string>();
  for (const raw of values.join(',').split(',')) {
    const member = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq < 0) return undefined;
    const key = member.slice(0, eq);
    if (!TRACESTATE_KEY.test(key) || !TRACESTATE_VALUE.test(member.slice(eq + 1)) || keys.has(key))
      return undefined;
    keys.add(key);
    members.push(member);
  }
  return members.length === 0 ? undefined : members.join(',');
}

/** The `s` attribute of the `es` entry, when it is a valid rate in [0, 1]. */
export function esSampleRate(tracestate: string): number | undefined {
  for (const member of tracestate.split(',')) {
    if (!member.startsWith('es=')) continue;
    for (const attribute of member.slice(3).split(';')) {
      if (!attribute.startsWith('s:')) continue;
      const text = attribute.slice(2);
      const rate = text === '' ? Number.NaN : Number(text);
      return rate >= 0 && rate <= 1 ? rate : undefined;
    }
  }
  return undefined;
}

/** The tracestate a trace root writes: `es=s:<rate>`. */
export function rootTracestate(sampleRate: number): string {
  return `es=s:${sampleRate}`;
}
