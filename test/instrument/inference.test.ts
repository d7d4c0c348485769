// Exit span service target and resource (../shared/spec/json-specs/service_resource_inference.json),
// URL redaction and the HTTP outcome table of ../shared/spec/gherkin-specs/outcome.feature.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientOutcome, httpResult, serverOutcome } from '../../runtime/instrument/http-status.js';
import {
  type ExitSpanFacts,
  hostAndPort,
  inferResource,
  inferServiceTarget,
} from '../../runtime/instrument/service-target.js';
import { incomingRequestUrl, redactUserinfo } from '../../runtime/instrument/url.js';
import { readSpecJson, specPath } from '../helpers/spec.js';

interface InferenceCase {
  span: Omit<ExitSpanFacts, 'exit'> & { exit: string };
  expected_resource: string | null;
  expected_service_target: Record<string, string> | null;
  failure_message: string;
}

describe('service target and destination resource (spec vectors)', () => {
  for (const c of readSpecJson<InferenceCase[]>('json-specs', 'service_resource_inference.json')) {
    it(c.failure_message, () => {
      const span: ExitSpanFacts = { ...c.span, exit: c.span.exit === 'true' };
      const target = inferServiceTarget(span);
      expect(target ?? null).toEqual(c.expected_service_target);
      expect(inferResource(span, target) ?? null).toBe(c.expected_resource);
    });
  }

  it('uses the scheme default port for host:port', () => {
    expect(hostAndPort('https://example.com/x')).toBe('example.com:443');
    expect(hostAndPort('http://[::1]:8080/')).toBe('[::1]:8080');
    expect(hostAndPort('not a url')).toBeUndefined();
  });
});

describe('URL redaction', () => {
  it('replaces user and password, keeps everything else', () => {
    expect(redactUserinfo('https://ann:s3cret@example.com:8443/a?b=c#d')).toBe(
      'https://REDACTED:REDACTED@example.com:8443/a?b=c#d',
    );
    expect(redactUserinfo('http://ann@example.com/')).toBe('http://REDACTED@example.com/');
    expect(redactUserinfo('http://example.com/?password=x')).toBe('http://example.com/?password=x');
  });

  it('splits an incoming request target into intake url parts', () => {
    expect(incomingRequestUrl('/users/7?sort=asc', '127.0.0.1:3000', false)).toEqual({
      raw: '/users/7?sort=asc',
      protocol: 'http:',
      full: 'http://127.0.0.1:3000/users/7?sort=asc',
      hostname: '127.0.0.1',
      port: 3000,
      pathname: '/users/7',
      search: 'sort=asc',
    });
  });
});

describe('HTTP outcome (outcome.feature examples)', () => {
  const feature = readFileSync(specPath('gherkin-specs', 'outcome.feature'), 'utf8');
  const section = feature.slice(feature.indexOf('Scenario Outline: HTTP'), feature.indexOf('# ---- gRPC'));
  const rows = [...section.matchAll(/^\s*\|\s*(-?\d+)\s*\|\s*(\w+)\s*\|\s*(\w+)\s*\|/gm)];

  it('reads the example table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(7);
  });

  for (const [, status, client, server] of rows) {
    it(`status ${status}: client ${client}, server ${server}`, () => {
      const code = Number(status) < 0 ? undefined : Number(status);
      expect(clientOutcome(code)).toBe(client);
      expect(serverOutcome(code)).toBe(server);
    });
  }

  it('names the result by status class', () => {
    expect(httpResult(204)).toBe('HTTP 2xx');
    expect(httpResult(503)).toBe('HTTP 5xx');
  });
});
