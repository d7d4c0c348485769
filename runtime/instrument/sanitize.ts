// Redaction of request and response data by `sanitizeFieldNames` (AGENT-RULES section 12): a matching
// header, cookie or form field keeps its name and loses its value. Values never decide; query strings
// and JSON bodies are left alone.
import { anyMatches, type WildcardMatcher } from './wildcard.js';

export const REDACTED = '[REDACTED]';

export type HeaderValue = string | string[];
export type HeaderRecord = Record<string, HeaderValue>;

/**
 * A copy of `headers` with matching values redacted. HTTP/2 pseudo-headers (`:path`, ...) are kept
 * as they are. A Cookie header is rebuilt with each matching cookie's value redacted.
 */
export function sanitizeHeaders(
  headers: Readonly<Record<string, HeaderValue | number | undefined>>,
  matchers: readonly WildcardMatcher[],
): HeaderRecord {
  const out: HeaderRecord = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = typeof raw === 'number' ? String(raw) : raw;
    if (name.startsWith(':')) out[name] = value;
    else if (anyMatches(matchers, name)) out[name] = REDACTED;
    else if (name.toLowerCase() === 'cookie')
      out[name] = mapValues(value, (v) => sanitizeCookieHeader(v, matchers));
    else out[name] = value;
  }
  return out;
}

function mapValues(value: HeaderValue, fn: (v: string) => string): HeaderValue {
  return Array.isArray(value) ? value.map(fn) : fn(value);
}

/** `a=1; session=xyz` with `*session*` becomes `a=1; session=[REDACTED]`. */
export function sanitizeCookieHeader(header: string, matchers: readonly WildcardMatcher[]): string {
  return header
    .split(';')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = pair.slice(0, eq).trim();
      return anyMatches(matchers, name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join(';');
}

/** Parsed cookies with matching values redacted (for context.request.cookies). */
export function parseCookies(header: string, matchers: readonly WildcardMatcher[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    if (name === '') continue;
    out[name] = anyMatches(matchers, name) ? REDACTED : pair.slice(eq + 1).trim();
  }
  return out;
}

/** An `application/x-www-form-urlencoded` body with matching field values redacted. */
export function sanitizeFormBody(body: string, matchers: readonly WildcardMatcher[]): string {
  const params = new URLSearchParams(body);
  const out = new URLSearchParams();
  for (const [name, value] of params) out.append(name, anyMatches(matchers, name) ? REDACTED : value);
  return out.toString();
}
