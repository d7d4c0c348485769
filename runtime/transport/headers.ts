// The intake request headers: User-Agent and Authorization as the cross-agent gherkin specs
// describe them (../shared/spec/gherkin-specs/user_agent.feature and api_key.feature).
import type { AgentConfig } from '../config-types.js';
import { AGENT_NAME, AGENT_VERSION } from '../version.js';

// Node refuses header values with control or non-Latin-1 characters (it throws from http.request);
// a service name is user data, so anything outside printable ASCII becomes `_` too.
const UNSAFE_IN_HEADER = /[^\x20-\x7e]/g;
// The gherkin spec replaces these inside the parenthesised service part.
const UNSAFE_IN_USER_AGENT_COMMENT = /[()\\]/g;

function escapeServicePart(value: string): string {
  return value.replace(UNSAFE_IN_HEADER, '_').replace(UNSAFE_IN_USER_AGENT_COMMENT, '_');
}

/** `apm-weaver/<version> (<service name> <service version>)`; the parenthesised part only with a service name. */
export function userAgent(config: Pick<AgentConfig, 'serviceName' | 'serviceVersion'>): string {
  const base = `${AGENT_NAME}/${AGENT_VERSION}`;
  if (!config.serviceName) return base;
  const service = escapeServicePart(config.serviceName);
  const version = config.serviceVersion ? ` ${escapeServicePart(config.serviceVersion)}` : '';
  return `${base} (${service}${version})`;
}

/** `ApiKey <key>` wins over `Bearer <token>`; undefined when neither is set. */
export function authorization(config: Pick<AgentConfig, 'apiKey' | 'secretToken'>): string | undefined {
  if (config.apiKey) return `ApiKey ${config.apiKey}`;
  if (config.secretToken) return `Bearer ${config.secretToken}`;
  return undefined;
}

export function intakeHeaders(config: AgentConfig): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-ndjson',
    'Content-Encoding': 'gzip',
    Accept: 'application/json',
    'User-Agent': userAgent(config),
  };
  const auth = authorization(config);
  if (auth) headers.Authorization = auth;
  return headers;
}
