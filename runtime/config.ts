// Resolves the AgentConfig once per Client: built-in defaults < constructor `defaults` <
// constructor `config` < ELASTIC_APM_* environment variables (Elastic's precedence, minus central config).
// Keys may be camelCase (`serviceName`) or the Python form (`SERVICE_NAME`, `service_name`).
// An invalid value is reported with the key or variable and the value, then ignored.

import {
  booleanValue,
  describeValue,
  durationValue,
  integerValue,
  listValue,
  logLevelValue,
  mappingValue,
  type Parser,
  rateValue,
  sizeValue,
  stringValue,
  transportThreadValue,
  urlValue,
} from './config-parse.js';
import type { AgentConfig, Logger } from './config-types.js';
import { sanitizeLabels } from './limits.js';
import type { Transport } from './transport/transport.js';
import { AGENT_NAME } from './version.js';

/** Any AgentConfig key; durations, sizes, lists and booleans may also be given in Elastic's string forms. */
export type ConfigInput = { [K in keyof AgentConfig]?: AgentConfig[K] | string };

/** What `new Client(config, defaults)` accepts: any AgentConfig key, plus constructor-only options. */
export interface ClientOptions extends ConfigInput {
  /** Where events go instead of the HTTP transport (for example a MemoryTransport). Constructor only. */
  transport?: Transport;
  /** Receives the runtime's own diagnostics instead of the console. Constructor only. */
  logger?: Logger;
  /** The Python form of any key is accepted too: SERVICE_NAME, service_name. */
  [pythonKey: string]: unknown;
}

export const DEFAULT_SANITIZE_FIELD_NAMES = [
  'password',
  'passwd',
  'pwd',
  'pw',
  'pass',
  'secret',
  '*key',
  '*token*',
  '*session*',
  '*credit*',
  '*card*',
  '*auth*',
  'set-cookie',
  '*principal*',
  'connect.sid',
];

const DEFAULTS: AgentConfig = {
  serviceName: `unknown-${AGENT_NAME}-service`,
  serviceVersion: undefined,
  serviceNodeName: undefined,
  environment: undefined,
  hostname: undefined,
  frameworkName: undefined,
  frameworkVersion: undefined,
  globalLabels: {},
  active: true,
  disableSend: false,
  logLevel: 'info',
  transactionSampleRate: 1,
  transactionMaxSpans: 500,
  longFieldMaxLength: 10_000,
  sanitizeFieldNames: DEFAULT_SANITIZE_FIELD_NAMES,
  captureHeaders: true,
  usePathAsTransactionName: false,
  spanStackTraceMinDuration: 5,
  serverUrl: 'http://127.0.0.1:8200',
  secretToken: undefined,
  apiKey: undefined,
  apiRequestTime: 10_000,
  apiRequestSize: 768 * 1024,
  serverTimeout: 30_000,
  maxQueueSize: 1024,
  verifyServerCert: true,
  serverCaCertFile: undefined,
  transportThread: 'auto',
};

const PARSERS: { [K in keyof AgentConfig]-?: Parser<NonNullable<AgentConfig[K]>> } = {
  serviceName: stringValue,
  serviceVersion: stringValue,
  serviceNodeName: stringValue,
  environment: stringValue,
  hostname: stringValue,
  frameworkName: stringValue,
  frameworkVersion: stringValue,
  globalLabels: mappingValue,
  active: booleanValue,
  disableSend: booleanValue,
  logLevel: logLevelValue,
  transactionSampleRate: rateValue,
  transactionMaxSpans: integerValue(-1),
  longFieldMaxLength: integerValue(1),
  sanitizeFieldNames: listValue,
  captureHeaders: booleanValue,
  usePathAsTransactionName: booleanValue,
  spanStackTraceMinDuration: durationValue('ms', true),
  serverUrl: urlValue,
  secretToken: stringValue,
  apiKey: stringValue,
  apiRequestTime: durationValue('s'),
  apiRequestSize: sizeValue,
  serverTimeout: durationValue('s'),
  maxQueueSize: integerValue(1),
  verifyServerCert: booleanValue,
  serverCaCertFile: stringValue,
  transportThread: transportThreadValue,
};

const CONSTRUCTOR_ONLY = new Set(['transport', 'logger']);
const SECRET_KEYS = new Set<string>(['secretToken', 'apiKey']);

/** `SERVICE_NAME` / `service_name` -> `serviceName`; camelCase keys pass through. */
export function camelKey(key: string): string {
  if (!key.includes('_') && key !== key.toUpperCase()) return key;
  return key.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `serviceName` -> `ELASTIC_APM_SERVICE_NAME`. */
export function envName(key: string): string {
  // A loop, not key.replace(/[A-Z]/g, fn): every Client computes this for each option, and the first replace with a
  // callback (compiling the pattern, calling back per capital) cost ~20 µs of CPU more for the ~30 options.
  const upper = key.toUpperCase();
  let name = 'ELASTIC_APM_';
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code >= 65 && code <= 90) name += '_';
    name += upper[i];
  }
  return name;
}

export interface ResolvedConfig {
  config: AgentConfig;
  /** Problems found while resolving, to be logged once a logger exists. */
  warnings: string[];
}

type Env = Record<string, string | undefined>;

export function resolveConfig(
  config?: ClientOptions,
  defaults?: ClientOptions,
  env: Env = process.env,
): ResolvedConfig {
  const resolved: Record<string, unknown> = { ...DEFAULTS };
  const warnings: string[] = [];
  const apply = (key: string, raw: unknown, source: string) => {
    const parser = (PARSERS as Record<string, Parser<unknown>>)[key];
    if (!parser) {
      warnings.push(`unknown ${source}; ignored`);
      return;
    }
    const value = parser.parse(raw);
    if (value === undefined) {
      const shown = SECRET_KEYS.has(key) ? '[REDACTED]' : describeValue(raw);
      warnings.push(`invalid value ${shown} for ${source} (expected ${parser.expected}); ignored`);
    } else {
      resolved[key] = value;
    }
  };
  for (const options of [defaults, config]) {
    if (options === null || typeof options !== 'object') continue;
    for (const [rawKey, raw] of Object.entries(options)) {
      const key = camelKey(rawKey);
      if (raw === undefined || raw === null || CONSTRUCTOR_ONLY.has(key)) continue;
      apply(key, raw, `configuration option ${rawKey}`);
    }
  }
  for (const key of Object.keys(PARSERS)) {
    const name = envName(key);
    const raw = env[name];
    if (raw !== undefined && raw !== '') apply(key, raw, `environment variable ${name}`);
  }
  // Not an Elastic option, so it has a name of our own too (it wins over ELASTIC_APM_TRANSPORT_THREAD).
  const thread = env.APM_WEAVER_TRANSPORT_THREAD;
  if (thread !== undefined && thread !== '')
    apply('transportThread', thread, 'environment variable APM_WEAVER_TRANSPORT_THREAD');
  const result = resolved as unknown as AgentConfig;
  result.serviceName = sanitizeServiceName(result.serviceName);
  result.globalLabels = sanitizeLabels(result.globalLabels, (m) => warnings.push(`globalLabels: ${m}`));
  return { config: result, warnings };
}

/** service.name must match ^[a-zA-Z0-9 _-]+$: other characters become `_` (as the Node agent does). */
export function sanitizeServiceName(name: string): string {
  // Names are nearly always clean: checked with a loop, so the pattern is compiled (~20 µs, in every Client's
  // start) only for one that is not.
  const clean = (isServiceNameClean(name) ? name : name.replace(/[^a-zA-Z0-9 _-]/g, '_')).slice(0, 1024);
  return clean === '' ? DEFAULTS.serviceName : clean;
}

function isServiceNameClean(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    const letterOrDigit =
      (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
    // space, '-', '_'
    if (!letterOrDigit && code !== 32 && code !== 45 && code !== 95) return false;
  }
  return true;
}
