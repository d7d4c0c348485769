// Error events (intake v2 `error`) from anything JavaScript can throw, and from log messages.
// Every read of the thrown value is guarded: a throwing getter, a Proxy or a Symbol must not escape.
import { epochMicros, nowMs } from './clock.js';
import type { Segment } from './context.js';
import { traceId } from './ids.js';
import { nodeUtil } from './lazy-builtins.js';
import { safeJson, truncate } from './limits.js';
import { culpritOf, parseStack, type StackFrame } from './stack.js';
import type { EventContext } from './transaction.js';

const MAX_CAUSES = 16;
const RESERVED = new Set(['message', 'name', 'stack', 'code', 'cause']);

export interface Exception {
  message: string;
  type: string;
  handled?: boolean;
  code?: string | number;
  attributes?: Record<string, unknown>;
  stacktrace?: StackFrame[];
  cause?: Exception[];
}

function read(value: object, key: string): unknown {
  try {
    return (value as Record<string | symbol, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** String(value) that cannot throw (Symbols, objects with hostile toString, revoked proxies). */
export function safeString(value: unknown): string {
  try {
    if (typeof value === 'string') return value;
    if (typeof value === 'symbol') return value.toString();
    if (value !== null && typeof value === 'object')
      return nodeUtil().inspect(value, { depth: 2, breakLength: Number.POSITIVE_INFINITY });
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function isErrorLike(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  try {
    if (value instanceof Error) return true;
  } catch {
    return false; // a Proxy whose getPrototypeOf trap throws
  }
  return typeof read(value, 'stack') === 'string';
}

/** Describes one thrown value, following `cause` chains (outermost first, cycles cut). */
export function toException(value: unknown, maxLength: number, callSite: () => StackFrame[]): Exception {
  const seen = new Set<unknown>([value]);
  const exception = describe(value, maxLength, callSite);
  let cause = value !== null && typeof value === 'object' ? read(value, 'cause') : undefined;
  const causes: Exception[] = [];
  while (cause !== undefined && cause !== null && !seen.has(cause) && causes.length < MAX_CAUSES) {
    seen.add(cause);
    causes.push(describe(cause, maxLength, () => []));
    cause = cause !== null && typeof cause === 'object' ? read(cause, 'cause') : undefined;
  }
  if (causes.length > 0) exception.cause = causes;
  return exception;
}

function describe(value: unknown, maxLength: number, callSite: () => StackFrame[]): Exception {
  if (!isErrorLike(value)) {
    // Not an Error: no stack of its own, so the call site stands in for it.
    const plainMessage = value !== null && typeof value === 'object' ? read(value, 'message') : undefined;
    const message = typeof plainMessage === 'string' ? plainMessage : safeString(value);
    const stacktrace = callSite();
    return {
      message: truncate(message, maxLength),
      type: value === null ? 'null' : typeof value === 'object' ? constructorName(value) : typeof value,
      stacktrace: stacktrace.length > 0 ? stacktrace : undefined,
    };
  }
  const name = read(value, 'name');
  const rawMessage = read(value, 'message');
  const code = read(value, 'code');
  const exception: Exception = {
    message: truncate(rawMessage === undefined ? '' : safeString(rawMessage), maxLength),
    type: truncate(typeof name === 'string' && name !== '' ? name : constructorName(value)),
    stacktrace: parseStack(read(value, 'stack')),
  };
  if (typeof code === 'string') exception.code = truncate(code);
  else if (typeof code === 'number' && Number.isInteger(code)) exception.code = code;
  const attributes = ownAttributes(value, maxLength);
  if (attributes !== undefined) exception.attributes = attributes;
  return exception;
}

function constructorName(value: object): string {
  try {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor
      ?.name;
    return typeof name === 'string' && name !== '' ? name : 'Object';
  } catch {
    return 'Object';
  }
}

function ownAttributes(value: object, maxLength: number): Record<string, unknown> | undefined {
  let keys: string[];
  try {
    keys = Object.keys(value).filter((k) => !RESERVED.has(k));
  } catch {
    return undefined;
  }
  if (keys.length === 0) return undefined;
  const picked: Record<string, unknown> = {};
  for (const key of keys) picked[key] = read(value, key);
  return safeJson(picked, maxLength) as Record<string, unknown>;
}

/** Correlation fields an error gets from the current transaction/span (AGENT-RULES section 1). */
export function correlate(event: Record<string, unknown>, segment: Segment | undefined): void {
  if (segment === undefined) return;
  const transaction = segment.transaction;
  event.trace_id = transaction.traceId;
  event.transaction_id = transaction.id;
  event.parent_id = segment.id;
  event.transaction = {
    sampled: transaction.sampled,
    name: truncate(transaction.name || 'unnamed'),
    type: truncate(transaction.type || 'custom'),
  };
}

export interface ErrorEventParts {
  date?: Date | number | undefined;
  exception?: Exception;
  log?: {
    message: string;
    param_message?: string;
    level?: string;
    logger_name?: string;
    stacktrace?: StackFrame[];
  };
  context?: EventContext | undefined;
}

/** Assembles the error event; the id is 128 random bits. */
export function errorEvent(parts: ErrorEventParts, segment: Segment | undefined): Record<string, unknown> {
  const ms =
    parts.date instanceof Date
      ? parts.date.getTime()
      : typeof parts.date === 'number'
        ? parts.date
        : Number.NaN;
  const event: Record<string, unknown> = {
    id: traceId(),
    timestamp: epochMicros(Number.isFinite(ms) ? ms : nowMs()),
  };
  correlate(event, segment);
  const frames = parts.exception?.stacktrace ?? parts.log?.stacktrace ?? [];
  const culprit = culpritOf(frames);
  if (culprit !== undefined) event.culprit = truncate(culprit);
  if (parts.exception) event.exception = parts.exception;
  if (parts.log) event.log = parts.log;
  if (parts.context !== undefined && Object.keys(parts.context).length > 0) event.context = parts.context;
  return event;
}

/** `log.message` (formatted) and `log.param_message` (the template, so the server can group). */
export function formatMessage(
  message: unknown,
  maxLength: number,
): { message: string; param_message?: string } {
  if (message !== null && typeof message === 'object' && !Array.isArray(message)) {
    const template = read(message, 'message');
    const params = read(message, 'params');
    const text = safeString(template);
    if (params === undefined) return { message: truncate(text, maxLength) };
    let formatted: string;
    try {
      const { format } = nodeUtil();
      formatted = Array.isArray(params) ? format(text, ...params) : format(text, params);
    } catch {
      formatted = text;
    }
    return { message: truncate(formatted, maxLength), param_message: truncate(text) };
  }
  return { message: truncate(safeString(message), maxLength) };
}
