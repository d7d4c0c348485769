// What every subscriber needs from the active client, derived once per client: the compiled
// sanitizeFieldNames, and the intake's host so the agent never traces its own traffic.
import { getClient } from '../api.js';
import type { Client } from '../client.js';
import { compileWildcards, type WildcardMatcher } from './wildcard.js';

export interface Instrumentation {
  readonly client: Client;
  readonly sanitize: readonly WildcardMatcher[];
  readonly captureHeaders: boolean;
  readonly usePathAsTransactionName: boolean;
  /** `host[:port]` of serverUrl, as a Host header names it: requests to it are the agent's own. */
  readonly intakeHost: string | undefined;
}

const derived = new WeakMap<Client, Instrumentation>();

/** The active client's instrumentation settings, or undefined when no client records anything. */
export function activeInstrumentation(): Instrumentation | undefined {
  const client = getClient();
  if (client === undefined || !client.isActive) return undefined;
  let info = derived.get(client);
  if (info === undefined) {
    info = derive(client);
    derived.set(client, info);
  }
  return info;
}

function derive(client: Client): Instrumentation {
  const config = client.config;
  let intakeHost: string | undefined;
  try {
    intakeHost = new URL(config.serverUrl).host.toLowerCase();
  } catch {
    intakeHost = undefined;
  }
  return {
    client,
    sanitize: compileWildcards(config.sanitizeFieldNames),
    captureHeaders: config.captureHeaders,
    usePathAsTransactionName: config.usePathAsTransactionName,
    intakeHost,
  };
}

/** True for a request to the agent's own intake (compared by Host header value, case-insensitively). */
export function isIntakeHost(info: Instrumentation, host: string | undefined): boolean {
  return host !== undefined && info.intakeHost !== undefined && host.toLowerCase() === info.intakeHost;
}
