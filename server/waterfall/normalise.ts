// Turns raw intake v2 objects into TraceItem / TraceError, tolerating missing and mistyped fields.
import { arrayAt, clip, isObject, numberAt, objectAt, stringAt, stringPath } from './fields.js';
import type { StackFrame, TraceError, TraceEventInput, TraceItem } from './model.js';

const UNKNOWN_SERVICE = 'unknown service';

// The intake schemas cap keyword fields at 1024 characters but not messages or stack frames:
// kept text is capped here so that a hostile sender cannot make the kept traces huge.
const MAX_KEYWORD = 1024;
const MAX_MESSAGE = 10_000;

function keyword(source: unknown, key: string): string | undefined {
  const value = stringAt(source, key);
  return value === undefined ? undefined : clip(value, MAX_KEYWORD);
}

/** The service an event belongs to: the event's own context wins over the request's metadata. */
export function serviceOf(event: TraceEventInput): string {
  return (
    stringPath(event.data, 'context', 'service', 'name') ??
    stringPath(event.metadata, 'service', 'name') ??
    UNKNOWN_SERVICE
  );
}

function typeOf(data: Record<string, unknown>): string {
  const type = keyword(data, 'type') ?? 'unknown';
  const subtype = keyword(data, 'subtype');
  const action = keyword(data, 'action');
  // Agents either send "db.postgresql.query" in `type` or split it; show one dotted form either way.
  if (type.includes('.')) return type;
  return [type, subtype, action].filter((part): part is string => Boolean(part)).join('.');
}

export function toTraceItem(event: TraceEventInput, sequence: number): TraceItem | undefined {
  const { data } = event;
  const id = keyword(data, 'id');
  if (!id || (event.kind !== 'transaction' && event.kind !== 'span')) return undefined;
  return {
    kind: event.kind,
    id,
    parentId: keyword(data, 'parent_id'),
    transactionId: keyword(data, 'transaction_id'),
    name: keyword(data, 'name') ?? (event.kind === 'transaction' ? 'unnamed transaction' : 'unnamed span'),
    type: typeOf(data),
    outcome: keyword(data, 'outcome') ?? 'unknown',
    result: keyword(data, 'result'),
    service: serviceOf(event),
    timestampUs: numberAt(data, 'timestamp'),
    relativeStartMs: numberAt(data, 'start'),
    durationMs: Math.max(0, numberAt(data, 'duration') ?? 0),
    receivedAt: event.receivedAt,
    sequence,
  };
}

function toFrame(value: unknown): StackFrame | undefined {
  if (!isObject(value)) return undefined;
  return {
    function: keyword(value, 'function') ?? keyword(value, 'classname'),
    file: keyword(value, 'filename') ?? keyword(value, 'abs_path') ?? keyword(value, 'module'),
    line: numberAt(value, 'lineno'),
    column: numberAt(value, 'colno'),
    library: value.library_frame === true,
  };
}

/** Stack frames kept per error: the page and the terminal only show the top of the stack. */
export const MAX_FRAMES_KEPT = 20;

export function toTraceError(event: TraceEventInput, fallbackId: string): TraceError {
  const { data } = event;
  const exception = objectAt(data, 'exception');
  const log = objectAt(data, 'log');
  const rawFrames = arrayAt(exception, 'stacktrace') ?? arrayAt(log, 'stacktrace') ?? [];
  const frames: StackFrame[] = [];
  for (const raw of rawFrames.slice(0, MAX_FRAMES_KEPT)) {
    const frame = toFrame(raw);
    if (frame) frames.push(frame);
  }
  const handled = exception?.handled;
  return {
    id: keyword(data, 'id') ?? fallbackId,
    parentId: keyword(data, 'parent_id'),
    transactionId: keyword(data, 'transaction_id'),
    service: serviceOf(event),
    timestampUs: numberAt(data, 'timestamp') ?? event.receivedAt * 1000,
    type: keyword(exception, 'type') ?? (exception ? 'Error' : (keyword(log, 'level') ?? 'log')),
    message: clip(stringAt(exception, 'message') ?? stringAt(log, 'message') ?? '', MAX_MESSAGE),
    culprit: keyword(data, 'culprit'),
    handled: typeof handled === 'boolean' ? handled : undefined,
    frames,
  };
}
