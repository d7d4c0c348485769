// The module-level agent API (the Python agent's functions). Each acts on getClient() and on the
// current transaction; with no client or no transaction they do nothing and return undefined.
import type {
  BeginTransactionOptions,
  CaptureExceptionOptions,
  CaptureMessageOptions,
  Client,
} from './client.js';
import { currentSegment, shared } from './context.js';
import { mergeLabels, safeJson, toText, truncate } from './limits.js';
import type { Outcome, Transaction } from './transaction.js';

export const OUTCOME = Object.freeze({ SUCCESS: 'success', FAILURE: 'failure', UNKNOWN: 'unknown' } as const);
const OUTCOMES = new Set<unknown>(Object.values(OUTCOME));

/** The newest Client constructed in this process (shared by every copy of the runtime), or undefined. */
export function getClient(): Client | undefined {
  return shared.client as Client | undefined;
}

export function captureException(error: unknown, options?: CaptureExceptionOptions): string | undefined {
  return getClient()?.captureExceptionFrom(captureException, error, options);
}

export function captureMessage(message: unknown, options?: CaptureMessageOptions): string | undefined {
  return getClient()?.captureMessageFrom(captureMessage, message, options);
}

export function beginTransaction(type?: string, options?: BeginTransactionOptions): Transaction | undefined {
  return getClient()?.beginTransaction(type, options);
}

export function endTransaction(name?: string, result?: string): Transaction | undefined {
  return getClient()?.endTransaction(name, result);
}

/** The `traceparent` header for a call made now: the current span's id, or the transaction's. */
export function getTraceParentHeader(): string | undefined {
  return currentSegment()?.traceParentHeader();
}

export function getTransactionId(): string | undefined {
  return currentSegment()?.transaction.id;
}

export function getTraceId(): string | undefined {
  return currentSegment()?.transaction.traceId;
}

/** The current span's id (undefined when the transaction itself is current). */
export function getSpanId(): string | undefined {
  const segment = currentSegment();
  return segment !== undefined && segment.transaction !== segment ? segment.id : undefined;
}

export interface OverrideOption {
  /** Replace a value that was already set (default true). */
  override?: boolean;
}

function current(): Transaction | undefined {
  return currentSegment()?.transaction;
}

export function setTransactionName(name: string, options?: OverrideOption): void {
  const transaction = current();
  if (transaction === undefined || (options?.override === false && transaction.name)) return;
  const text = toText(name);
  if (text !== undefined) transaction.name = truncate(text);
}

export function setTransactionResult(result: string, options?: OverrideOption): void {
  const transaction = current();
  if (transaction === undefined || (options?.override === false && transaction.result)) return;
  const text = toText(result);
  if (text !== undefined) transaction.result = truncate(text);
}

/**
 * Sets the outcome; without one, an `httpStatusCode` decides (>= 500 is failure, as for a server).
 * An outcome set here wins over the default computed at the end.
 */
export function setTransactionOutcome(
  outcome?: Outcome,
  options?: OverrideOption & { httpStatusCode?: number | string },
): void {
  const transaction = current();
  if (transaction === undefined) return;
  let value: unknown = outcome;
  const status = Number(options?.httpStatusCode);
  if (value === undefined && options?.httpStatusCode !== undefined && Number.isFinite(status)) {
    value = status >= 500 ? OUTCOME.FAILURE : OUTCOME.SUCCESS;
  }
  if (!OUTCOMES.has(value)) {
    transaction.reporter.logger.warn(`setTransactionOutcome: invalid outcome ${String(value)}; ignored`);
    return;
  }
  if (options?.override === false && transaction.outcome !== undefined) return;
  transaction.outcome = value as Outcome;
}

/** Merges `data` into the transaction's context.custom (dict.update); cycles and huge values are cut. */
export function setCustomContext(data: Record<string, unknown>): void {
  const transaction = current();
  if (transaction === undefined) return;
  try {
    const copy = safeJson(data, transaction.reporter.config.longFieldMaxLength);
    if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) {
      transaction.reporter.logger.warn('setCustomContext expects an object; ignored');
      return;
    }
    const context = transaction.ensureContext();
    context.custom = { ...context.custom, ...(copy as Record<string, unknown>) };
  } catch (error) {
    transaction.reporter.logger.debug(`setCustomContext failed: ${String(error)}`);
  }
}

export interface UserContext {
  username?: string;
  email?: string;
  userId?: string | number;
}

/** Sets context.user on the current transaction (only the fields given change). */
export function setUserContext(user: UserContext): void {
  const transaction = current();
  if (transaction === undefined || user === null || typeof user !== 'object') return;
  const context = transaction.ensureContext();
  const next = { ...context.user };
  try {
    if (typeof user.username === 'string') next.username = truncate(user.username);
    if (typeof user.email === 'string') next.email = truncate(user.email);
    if (typeof user.userId === 'string') next.id = truncate(user.userId);
    else if (typeof user.userId === 'number' && Number.isInteger(user.userId)) next.id = user.userId;
  } catch (error) {
    transaction.reporter.logger.debug(`setUserContext failed: ${String(error)}`);
  }
  context.user = next;
}

/**
 * Adds labels to the current transaction (dict.update). Keys: `.`, `*`, `"` become `_`.
 * Values must be strings, finite numbers or booleans; others are dropped with a warning.
 */
export function label(labels: Record<string, unknown>): void {
  const transaction = current();
  if (transaction === undefined) return;
  const context = transaction.ensureContext();
  const logger = transaction.reporter.logger;
  context.tags = mergeLabels(context.tags ?? {}, labels, (message) => logger.warn(message));
}
