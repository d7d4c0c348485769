// Turns raw intake v2 objects into TraceItem / TraceError, tolerating missing and mistyped fields.
import { arrayAt, isObject, numberAt, objectAt, stringAt, stringPath } from './fields.js';
import type { StackFrame, TraceError, TraceEventInput, TraceItem } from './model.js';

const UNKNOWN_SERVICE = 'unknown service';

/** The service an event belongs to: the event's own context wins over the request's metadata. */
export function serviceOf(event: TraceEventInput): string {
  return (
    stringPath(event.data, 'context', 'service', 'name') ??
    stringPath(event.metadata, 'service', 'name') ??
    UNKNOWN_SERVICE
  );
}

function typeOf(data: Record<string, unknown>): string {
  const type = stringAt(data, 'type') ?? 'unknown';
  const subtype = stringAt(data, 'subtype');
  const action = stringAt(data, 'action');
  // Agents either send "db.postgresql.query" in `type` or split it; show one dotted form either way.
  if (type.includes('.')) return type;
  return [type, subtype, action].filter((part): part is string => Boolean(part)).join('.');
}

export function toTraceItem(event: TraceEventInput, sequence: number): TraceItem | undefined {
  const { data } = event;
  const id = stringAt(data, 'id');
  if (!id || (event.kind !== 'transaction' && event.kind !== 'span')) return undefined;
  return {
    kind: event.kind,
    id,
    parentId: stringAt(data, 'parent_id'),
    transactionId: stringAt(data, 'transaction_id'),
    name: stringAt(data, 'name') ?? (event.kind === 'transaction' ? 'unnamed transaction' : 'unnamed span'),
    type: typeOf(data),
    outcome: stringAt(data, 'outcome') ?? 'unknown',
    result: stringAt(data, 'result'),
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
    function: stringAt(value, 'function') ?? stringAt(value, 'classname'),
    file: stringAt(value, 'filename') ?? stringAt(value, 'abs_path') ?? stringAt(value, 'module'),
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
    id: stringAt(data, 'id') ?? fallbackId,
    parentId: stringAt(data, 'parent_id'),
    transactionId: stringAt(data, 'transaction_id'),
    service: serviceOf(event),
    timestampUs: numberAt(data, 'timestamp') ?? event.receivedAt * 1000,
    type: stringAt(exception, 'type') ?? (exception ? 'Error' : (stringAt(log, 'level') ?? 'log')),
    message: stringAt(exception, 'message') ?? stringAt(log, 'message') ?? '',
    culprit: stringAt(data, 'culprit'),
    handled: typeof handled === 'boolean' ? handled : undefined,
    frames,
  };
}
