// Redaction by sanitizeFieldNames: headers, cookies and form fields keep their names, lose their values.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SANITIZE_FIELD_NAMES } from '../../runtime/config.js';
import {
  parseCookies,
  REDACTED,
  sanitizeCookieHeader,
  sanitizeFormBody,
  sanitizeHeaders,
} from '../../runtime/instrument/sanitize.js';
import { compileWildcards } from '../../runtime/instrument/wildcard.js';

const defaults = compileWildcards(DEFAULT_SANITIZE_FIELD_NAMES);

describe('sanitizeHeaders', () => {
  it('redacts the values of matching headers with the default list, case-insensitively', () => {
    const out = sanitizeHeaders(
      {
        authorization: 'Bearer abc',
        'X-API-Key': 'k',
        'x-session-id': 's',
        'set-cookie': ['a=1', 'b=2'],
        'content-type': 'text/plain',
        'content-length': 12 as unknown as string,
      },
      defaults,
    );
    expect(out).toEqual({
      authorization: REDACTED,
      'X-API-Key': REDACTED,
      'x-session-id': REDACTED,
      'set-cookie': REDACTED,
      'content-type': 'text/plain',
      'content-length': '12',
    });
  });

  it('keeps HTTP/2 pseudo-headers and never looks at values', () => {
    const out = sanitizeHeaders({ ':authority': 'h', 'x-note': 'password=hunter2' }, defaults);
    expect(out).toEqual({ ':authority': 'h', 'x-note': 'password=hunter2' });
  });

  it('rebuilds a Cookie header with matching cookies redacted', () => {
    const out = sanitizeHeaders({ cookie: 'theme=dark; sessionid=abc; csrftoken=t' }, defaults);
    expect(out.cookie).toBe(`theme=dark; sessionid=${REDACTED}; csrftoken=${REDACTED}`);
  });

  it('follows a custom list, including a case-sensitive pattern', () => {
    const custom = compileWildcards(['x-private-*', '(?-i)X-Exact']);
    const out = sanitizeHeaders(
      { 'X-Private-Thing': '1', 'X-Exact': '2', 'x-exact': '3', authorization: 'a' },
      custom,
    );
    expect(out).toEqual({
      'X-Private-Thing': REDACTED,
      'X-Exact': REDACTED,
      'x-exact': '3',
      authorization: 'a',
    });
  });
});

describe('cookies and form bodies', () => {
  it('parses cookies with matching values redacted', () => {
    expect(parseCookies('a=1; my_session=xyz;broken; =x', defaults)).toEqual({
      a: '1',
      my_session: REDACTED,
    });
    expect(sanitizeCookieHeader('card=4111; ok=1', defaults)).toBe(`card=${REDACTED}; ok=1`);
  });

  it('redacts matching urlencoded form fields and keeps the others', () => {
    const out = sanitizeFormBody('user=ann&password=hunter2&note=a+b', defaults);
    expect(new URLSearchParams(out).get('password')).toBe(REDACTED);
    expect(new URLSearchParams(out).get('user')).toBe('ann');
    expect(new URLSearchParams(out).get('note')).toBe('a b');
  });
});
