// The resolved agent configuration: the one shape every part of the runtime reads.
// runtime/config.ts builds it once per Client (defaults < constructor config < ELASTIC_APM_* env);
// nothing else in the runtime reads process.env.

export type LogLevel = 'trace' | 'debug' | 'info' | 'warning' | 'error' | 'critical' | 'off';

/** Where the runtime reports its own problems. Never throws. */
export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export interface AgentConfig {
  // service identity
  serviceName: string;
  serviceVersion: string | undefined;
  serviceNodeName: string | undefined;
  environment: string | undefined;
  hostname: string | undefined;
  frameworkName: string | undefined;
  frameworkVersion: string | undefined;
  globalLabels: Record<string, string | number | boolean>;

  // on/off
  active: boolean;
  disableSend: boolean;
  logLevel: LogLevel;

  // sampling and limits
  transactionSampleRate: number; // already rounded to 4 places
  transactionMaxSpans: number; // -1 = unlimited
  longFieldMaxLength: number; // default 10000
  sanitizeFieldNames: string[]; // WildcardMatcher patterns
  captureHeaders: boolean;
  usePathAsTransactionName: boolean;
  /** captureSpan spans at least this long (ms) carry a stack trace; negative: never, 0: always. Default 5.
   * Optional only so that hand-built configs stay valid; resolveConfig always sets it. */
  spanStackTraceMinDuration?: number;

  // transport
  serverUrl: string; // default http://127.0.0.1:8200
  secretToken: string | undefined;
  apiKey: string | undefined;
  apiRequestTime: number; // ms, default 10_000
  apiRequestSize: number; // bytes, default 768 KiB
  serverTimeout: number; // ms, default 30_000
  maxQueueSize: number; // events, default 1024
  verifyServerCert: boolean; // default true
  serverCaCertFile: string | undefined;
  /** Where events are encoded and sent: a worker thread, the application's own thread, or 'auto' (the default: the
   * worker where the process may use two CPUs or more). Optional only so that hand-built configs stay valid
   * (undefined means the worker); resolveConfig always sets it. */
  transportThread?: 'auto' | 'worker' | 'main';
}
