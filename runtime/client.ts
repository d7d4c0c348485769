// The Client: configuration, transport, and the agent API that needs them (errors, transactions).
// The newest client is the one getClient() returns, across bundled copies of the runtime.
import { type ClientOptions, resolveConfig } from './config.js';
import type { AgentConfig, Logger } from './config-types.js';
import { currentSegment, enterSegment, shared } from './context.js';
import { type Exception, errorEvent, formatMessage, toException } from './error-event.js';
import { mergeLabels, safeJson, toText } from './limits.js';
import { createLogger, guardLogger } from './logger.js';
import {
  type PlainSpanKind,
  type PlainSpanSender,
  type PlainSpanTransaction,
  REPORT_PLAIN_SPAN_V1,
} from './span-event.js';
import { callSiteStack } from './stack.js';
import { type TraceParent, traceParentFromString } from './trace-parent.js';
import { type EventContext, type Link, type Reporter, Transaction } from './transaction.js';
import { createClientTransport } from './transport/deferred-transport.js';
import type { EventKind, Transport } from './transport/transport.js';

export interface CaptureExceptionOptions {
  /** When it happened (default: now). */
  date?: Date | number;
  /** Extra event context in intake v2 form (user, tags, request, ...). */
  context?: EventContext;
  /** Merged into context.custom. */
  custom?: Record<string, unknown>;
  /** Whether the application caught the error (default true). */
  handled?: boolean;
}

export interface CaptureMessageOptions extends Omit<CaptureExceptionOptions, 'handled'> {
  /** Record the call site (default true). */
  stack?: boolean;
  /** An error to attach as the event's exception. */
  error?: unknown;
  /** log.level, for example "warning" (default "error"). */
  level?: string;
  /** log.logger_name. */
  loggerName?: string;
}

/** A span link: a TraceParent, a traceparent string, or ids. */
export type LinkLike = TraceParent | string | { traceId: string; spanId: string };

export interface BeginTransactionOptions {
  /** Continue this trace (from traceParentFromHeaders); otherwise this transaction starts one. */
  traceParent?: TraceParent | string;
  links?: LinkLike[];
  /** Start time in epoch milliseconds (default now). */
  start?: number;
}

export class Client implements Reporter {
  readonly config: AgentConfig;
  readonly logger: Logger;
  readonly transport: Transport | undefined;
  private closed = false;
  private reportFailed = false;

  constructor(config?: ClientOptions, defaults?: ClientOptions) {
    let resolution: ReturnType<typeof resolveConfig>;
    try {
      resolution = resolveConfig(config, defaults);
    } catch (error) {
      // Only hostile input gets here (a Proxy as options): fall back to the environment alone.
      resolution = resolveConfig();
      resolution.warnings.push(`the configuration could not be read (${String(error)}); using defaults`);
    }
    const { config: resolved, warnings } = resolution;
    this.config = resolved;
    const userLogger = readOption(config, 'logger') ?? readOption(defaults, 'logger');
    this.logger = userLogger ? guardLogger(userLogger) : createLogger(resolved.logLevel);
    for (const warning of warnings) this.logger.warn(warning);
    this.transport = this.pickTransport(readOption(config, 'transport') ?? readOption(defaults, 'transport'));
    shared.client = this;
  }

  private pickTransport(given: Transport | undefined): Transport | undefined {
    if (given !== undefined) return given;
    if (!this.config.active || this.config.disableSend) return undefined;
    try {
      return createClientTransport(this.config, this.logger);
    } catch (error) {
      this.logger.error(`cannot create the transport, events will not be sent: ${String(error)}`);
      return undefined;
    }
  }

  /** False once closed or when `active` is false: nothing is recorded. */
  get isActive(): boolean {
    return this.config.active && !this.closed;
  }

  /** Hands one finished event to the transport; a broken transport is logged once, never rethrown. */
  report(kind: EventKind, event: object): void {
    const transport = this.transport;
    if (transport === undefined) return;
    try {
      transport.send(kind, event);
    } catch (error) {
      this.sendFailed(error);
    }
  }

  /** A broken transport: logged once, never rethrown into the application. */
  private sendFailed(error: unknown): void {
    if (!this.reportFailed) this.logger.error(`transport.send failed: ${String(error)}`);
    this.reportFailed = true;
  }

  /**
   * A plain span as its parts (Span.end, span-event.ts): to a transport that takes them (the worker transport, once
   * loaded and started), else false and Span.end reports a SpanEvent. Nothing to send to counts as taken.
   */
  [REPORT_PLAIN_SPAN_V1](
    transaction: PlainSpanTransaction,
    kind: PlainSpanKind,
    id: string,
    idWords: Uint32Array | undefined,
    idAt: number,
    parentId: string,
    outcome: string,
    timestamp: number,
    duration: number,
  ): boolean {
    const transport = this.transport as (Transport & Partial<PlainSpanSender>) | undefined;
    if (transport === undefined) return true;
    try {
      return (
        transport.sendPlainSpan?.(
          transaction,
          kind,
          id,
          idWords,
          idAt,
          parentId,
          outcome,
          timestamp,
          duration,
        ) === true
      );
    } catch (error) {
      this.sendFailed(error);
      return true;
    }
  }

  /** Reports `error` (anything that can be thrown); returns the error id, or undefined when inactive. */
  captureException(error: unknown, options?: CaptureExceptionOptions): string | undefined {
    return this.captureExceptionFrom(this.captureException, error, options);
  }

  /** Same as captureException; `anchor` is the API function the user called, so the call site is theirs. */
  captureExceptionFrom(
    anchor: Function,
    error: unknown,
    options?: CaptureExceptionOptions,
  ): string | undefined {
    if (!this.isActive) return undefined;
    try {
      const exception = toException(error, this.config.longFieldMaxLength, () => callSiteStack(anchor));
      exception.handled = options?.handled ?? true;
      return this.reportError(exception, undefined, options);
    } catch (failure) {
      this.logger.debug(`captureException failed: ${String(failure)}`);
      return undefined;
    }
  }

  /** Reports a message: 'text' or { message: 'template %s', params: [...] }. Returns the error id. */
  captureMessage(message: unknown, options?: CaptureMessageOptions): string | undefined {
    return this.captureMessageFrom(this.captureMessage, message, options);
  }

  captureMessageFrom(
    anchor: Function,
    message: unknown,
    options?: CaptureMessageOptions,
  ): string | undefined {
    if (!this.isActive) return undefined;
    try {
      const maxLength = this.config.longFieldMaxLength;
      const log: NonNullable<Parameters<typeof errorEvent>[0]['log']> = formatMessage(message, maxLength);
      if (options?.level !== undefined) log.level = String(options.level).slice(0, 1024);
      if (options?.loggerName !== undefined) log.logger_name = String(options.loggerName).slice(0, 1024);
      if (options?.stack !== false) log.stacktrace = callSiteStack(anchor);
      const exception =
        options?.error === undefined ? undefined : toException(options.error, maxLength, () => []);
      return this.reportError(exception, log, options);
    } catch (failure) {
      this.logger.debug(`captureMessage failed: ${String(failure)}`);
      return undefined;
    }
  }

  private reportError(
    exception: Exception | undefined,
    log: Parameters<typeof errorEvent>[0]['log'],
    options: CaptureExceptionOptions | undefined,
  ): string {
    const segment = currentSegment();
    const transaction = segment?.transaction;
    let context: EventContext | undefined;
    if (
      transaction?.context !== undefined ||
      options?.context !== undefined ||
      options?.custom !== undefined
    ) {
      context = { ...transaction?.context, ...(safeJson(options?.context ?? {}) as EventContext) };
      if (options?.custom !== undefined) {
        context.custom = { ...context.custom, ...(safeJson(options.custom) as Record<string, unknown>) };
      }
      if (options?.context?.tags !== undefined) {
        // Labels given here obey the label rules too (flat scalars, sanitised keys).
        const tags = mergeLabels({ ...transaction?.context?.tags }, options.context.tags, (m) =>
          this.logger.warn(m),
        );
        context.tags = tags;
      }
    }
    if (transaction !== undefined) transaction.errorCaptured = true;
    const event = errorEvent({ date: options?.date, exception, log, context }, segment);
    this.report('error', event);
    return event.id as string;
  }

  /** Starts a transaction and makes it current for the rest of this async context. */
  beginTransaction(type?: string, options?: BeginTransactionOptions): Transaction | undefined {
    const transaction = this.startTransaction(type, options);
    if (transaction !== undefined) enterSegment(transaction);
    return transaction;
  }

  /**
   * Starts a transaction without making it current (run code in it with runWithin from context.ts).
   * Used by instrument(); returns undefined when the client is inactive.
   */
  startTransaction(type?: string, options?: BeginTransactionOptions): Transaction | undefined {
    if (!this.isActive) return undefined;
    try {
      const given = options?.traceParent;
      const traceParent = typeof given === 'string' ? traceParentFromString(given) : given;
      const start =
        typeof options?.start === 'number' && Number.isFinite(options.start) ? options.start : undefined;
      const validParent =
        traceParent instanceof Object && typeof traceParent.traceId === 'string' ? traceParent : undefined;
      const transactionType = typeof type === 'string' && type !== '' ? type : 'custom';
      return new Transaction(this, transactionType, validParent, toLinks(options?.links), start);
    } catch (failure) {
      this.logger.debug(`beginTransaction failed: ${String(failure)}`);
      return undefined;
    }
  }

  /** Ends the current transaction; `name`/`result` when given, else what was set before. Returns it. */
  endTransaction(name?: string, result?: string): Transaction | undefined {
    const segment = currentSegment();
    const transaction = segment?.transaction;
    if (transaction === undefined) return undefined;
    if (name !== undefined && name !== null) transaction.name = toText(name) ?? transaction.name;
    if (result !== undefined && result !== null) transaction.result = toText(result) ?? transaction.result;
    transaction.end();
    enterSegment(undefined);
    return transaction;
  }

  /** Resolves once every event reported so far was sent or definitely failed. Never rejects. */
  async flush(): Promise<void> {
    try {
      await this.transport?.flush();
    } catch (error) {
      this.logger.debug(`flush failed: ${String(error)}`);
    }
  }

  /** Flushes and releases the transport; this client stops recording and getClient() forgets it. */
  async close(): Promise<void> {
    this.closed = true;
    if (shared.client === this) shared.client = undefined;
    try {
      await this.transport?.close();
    } catch (error) {
      this.logger.debug(`close failed: ${String(error)}`);
    }
  }
}

/** A constructor-only option, read so that odd `config` values (strings, Proxies) cannot throw. */
function readOption<K extends 'logger' | 'transport'>(
  options: unknown,
  key: K,
): ClientOptions[K] | undefined {
  try {
    return options !== null && typeof options === 'object' ? (options as ClientOptions)[key] : undefined;
  } catch {
    return undefined;
  }
}

/** Span links in intake form; unusable entries are skipped. */
export function toLinks(links: readonly LinkLike[] | undefined): Link[] | undefined {
  if (!Array.isArray(links) || links.length === 0) return undefined;
  const out: Link[] = [];
  for (const link of links) {
    const parsed = typeof link === 'string' ? traceParentFromString(link) : link;
    if (parsed && typeof parsed.traceId === 'string' && typeof parsed.spanId === 'string') {
      out.push({ trace_id: parsed.traceId, span_id: parsed.spanId });
    }
  }
  return out.length > 0 ? out : undefined;
}
