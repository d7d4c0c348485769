// Where intake requests go: the parsed server URL, the keep-alive agent and TLS settings.
// node:http / node:https (with node:tls) load on the first request, not when the runtime is imported;
// node:fs only when there is a CA file to read.
import type { Agent, ClientRequest, RequestOptions } from 'node:http';
import type { AgentConfig, Logger } from '../config-types.js';
import { nodeFs, nodeHttp, nodeHttps } from '../lazy-builtins.js';

const INTAKE_PATH = '/intake/v2/events';

// Few long-lived sockets: one streaming request at a time, re-using the connection between requests.
const AGENT_OPTIONS = {
  keepAlive: true,
  keepAliveMsecs: 1000,
  maxSockets: 2,
  maxFreeSockets: 3,
  scheduling: 'lifo' as const,
};

interface TlsSettings {
  rejectUnauthorized: boolean;
  ca: Buffer | undefined;
}

export class IntakeEndpoint {
  private keepAliveAgent: Agent | undefined;

  constructor(
    /** Method, host, port and path of every intake request (the agent is added per request). */
    readonly options: RequestOptions,
    /** The server URL without credentials, query or fragment: safe to log. */
    readonly displayUrl: string,
    /** Set for an https URL. */
    private readonly tls: TlsSettings | undefined,
  ) {}

  /** The keep-alive agent, made (and its module loaded) on first use. */
  get agent(): Agent {
    this.keepAliveAgent ??= this.tls
      ? new (nodeHttps().Agent)({ ...AGENT_OPTIONS, ...this.tls })
      : new (nodeHttp().Agent)(AGENT_OPTIONS);
    return this.keepAliveAgent;
  }

  /** Starts one intake POST with these headers. */
  request(headers: Record<string, string>): ClientRequest {
    const request = this.tls ? nodeHttps().request : nodeHttp().request;
    return request({ ...this.options, agent: this.agent, headers });
  }

  /** Closes the agent's sockets; nothing to do when no request was ever made. */
  destroy(): void {
    this.keepAliveAgent?.destroy();
  }
}

function caFromFile(file: string | undefined, logger: Logger): Buffer | undefined {
  if (!file) return undefined;
  try {
    return nodeFs().readFileSync(file);
  } catch (error) {
    logger.error(`cannot read serverCaCertFile ${file}: ${(error as Error).message}`);
    return undefined;
  }
}

// Loops and slices rather than patterns here: this runs in every Client's start, where compiling the two regular
// expressions cost ~40 µs of CPU.
function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47 /* '/' */) end--;
  return path.slice(0, end);
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

  // The CA file is read here, as before, so a bad path is reported when the client starts.
  const tls = secure
    ? { rejectUnauthorized: config.verifyServerCert, ca: caFromFile(config.serverCaCertFile, logger) }
    : undefined;
  const basePath = withoutTrailingSlashes(url.pathname);
  const displayUrl = `${url.protocol}//${url.host}${basePath}`;
  const options: RequestOptions = {
    method: 'POST',
    protocol: url.protocol,
    // URL keeps IPv6 literals in brackets; the socket layer wants them bare.
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port || (secure ? 443 : 80),
    path: `${basePath}${INTAKE_PATH}`,
  };
  return new IntakeEndpoint(options, displayUrl, tls);
}
