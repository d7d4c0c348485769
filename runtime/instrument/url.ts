// URLs as they appear in events: credentials never leave the process, and an incoming request's URL
// is split into the parts intake v2 names (context.request.url).

const REDACTED_USERINFO = 'REDACTED';

/** `https://user:pw@host/p` becomes `https://REDACTED:REDACTED@host/p`; unparsable input is returned as is. */
export function redactUserinfo(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username === '' && parsed.password === '') return url;
  if (parsed.username !== '') parsed.username = REDACTED_USERINFO;
  if (parsed.password !== '') parsed.password = REDACTED_USERINFO;
  return parsed.href;
}

/** The port a URL targets: its own, or the scheme's default (80, 443). */
export function effectivePort(url: URL): number | undefined {
  if (url.port !== '') return Number(url.port);
  if (url.protocol === 'https:' || url.protocol === 'wss:') return 443;
  if (url.protocol === 'http:' || url.protocol === 'ws:') return 80;
  return undefined;
}

export interface RequestUrl {
  raw: string;
  protocol: string;
  full: string;
  hostname: string;
  port?: number;
  pathname: string;
  search?: string;
}

/**
 * context.request.url for an incoming request: `raw` is the request target as received, `full` is
 * rebuilt from the Host header. The query string is kept (it is not sanitised, by the rules).
 */
export function incomingRequestUrl(
  rawTarget: string,
  host: string | undefined,
  encrypted: boolean,
): RequestUrl | undefined {
  const protocol = encrypted ? 'https:' : 'http:';
  let parsed: URL;
  try {
    parsed = new URL(rawTarget, `${protocol}//${host || 'localhost'}`);
  } catch {
    return undefined;
  }
  const url: RequestUrl = {
    raw: rawTarget,
    protocol: parsed.protocol,
    full: redactUserinfo(parsed.href),
    hostname: parsed.hostname,
    pathname: parsed.pathname,
  };
  if (parsed.port !== '') url.port = Number(parsed.port);
  if (parsed.search !== '') url.search = parsed.search.slice(1);
  return url;
}
