// Where intake requests go: the parsed server URL, the keep-alive agent and TLS settings.
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AgentConfig, Logger } from '../config-types.js';

export interface IntakeEndpoint {
  /** http.request or https.request, matching the URL's scheme. */
  request: typeof http.request;
  options: http.RequestOptions;
  agent: http.Agent;
  /** The server URL without credentials, query or fragment: safe to log. */
  displayUrl: string;
}

const INTAKE_PATH = '/intake/v2/events';

function caFromFile(file: string | undefined, logger: Logger): Buffer | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (error) {
    logger.error(`cannot read serverCaCertFile ${file}: ${(error as Error).message}`);
    return undefined;
  }
}

/** Resolves the intake endpoint, or a reason it cannot be used. */
export function resolveEndpoint(config: AgentConfig, logger: Logger): IntakeEndpoint | { problem: string } {
  let url: URL;
  try {
    url = new URL(config.serverUrl);
  } catch {
    return { problem: `serverUrl is not a valid URL` };
  }
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:')
    return { problem: `serverUrl must be http or https, not ${url.protocol}` };

  // Few long-lived sockets: one streaming request at a time, re-using the connection between requests.
  const agentOptions = {
    keepAlive: true,
    keepAliveMsecs: 1000,
    maxSockets: 2,
    maxFreeSockets: 3,
    scheduling: 'lifo' as const,
  };
  const agent = secure
    ? new https.Agent({
        ...agentOptions,
        rejectUnauthorized: config.verifyServerCert,
        ca: caFromFile(config.serverCaCertFile, logger),
      })
    : new http.Agent(agentOptions);

  const basePath = url.pathname.replace(/\/+$/, '');
  const displayUrl = `${url.protocol}//${url.host}${basePath}`;
  return {
    request: secure ? https.request : http.request,
    options: {
      method: 'POST',
      protocol: url.protocol,
      // URL keeps IPv6 literals in brackets; the socket layer wants them bare.
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || (secure ? 443 : 80),
      path: `${basePath}${INTAKE_PATH}`,
      agent,
    },
    agent,
    displayUrl,
  };
}
