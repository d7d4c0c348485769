// The runtime's own diagnostics: a level-filtered console logger that never throws.
import type { Logger, LogLevel } from './config-types.js';

const RANK: Record<LogLevel, number> = {
  trace: 0,
  debug: 1,
  info: 2,
  warning: 3,
  error: 4,
  critical: 5,
  off: 6,
};
const PREFIX = '[apm-weaver]';

function noop(): void {}

function safe(write: (...args: unknown[]) => void): (message: string) => void {
  return (message) => {
    try {
      write(PREFIX, message);
    } catch {
      // a closed stdout/stderr must not break the app
    }
  };
}

/** Console logger that drops messages below `level`. */
export function createLogger(level: LogLevel): Logger {
  const rank = RANK[level];
  return {
    error: rank <= RANK.error ? safe(console.error) : noop,
    warn: rank <= RANK.warning ? safe(console.warn) : noop,
    info: rank <= RANK.info ? safe(console.info) : noop,
    debug: rank <= RANK.debug ? safe(console.debug) : noop,
  };
}

/** Wraps a user-supplied logger so that a throwing method cannot reach user code. */
export function guardLogger(logger: Logger): Logger {
  const call = (method: keyof Logger) => (message: string) => {
    try {
      logger[method](message);
    } catch {
      // ignore: logging is best effort
    }
  };
  return { error: call('error'), warn: call('warn'), info: call('info'), debug: call('debug') };
}

export const LOG_LEVELS = Object.keys(RANK) as LogLevel[];
