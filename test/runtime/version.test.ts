import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../../runtime/index.js';
import { repoRoot } from '../helpers/spec.js';

describe('agent identity', () => {
  it('AGENT_VERSION is the package.json version and the name is apm-weaver', () => {
    const pkg = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')) as { version: string };
    expect(api.AGENT_VERSION).toBe(pkg.version);
    expect(api.AGENT_NAME).toBe('apm-weaver');
  });
});

describe('public surface', () => {
  it('exports exactly the documented runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'AGENT_NAME',
        'AGENT_VERSION',
        'Client',
        'MemoryTransport',
        'OUTCOME',
        'TraceParent',
        'WovenSpanSpec',
        'asyncCaptureSpan',
        'beginTransaction',
        'captureException',
        'captureMessage',
        'captureSpan',
        'defineSpan',
        'endTransaction',
        'getClient',
        'getSpanId',
        'getTraceId',
        'getTraceParentHeader',
        'getTransactionId',
        'instrument',
        'label',
        'setCustomContext',
        'setTransactionName',
        'setTransactionOutcome',
        'setTransactionResult',
        'setUserContext',
        'traceParentFromHeaders',
        'traceParentFromString',
        'wovenAsyncCall',
        'wovenAsyncEnd',
        'wovenAsyncFail',
        'wovenAsyncGenerator',
        'wovenAsyncRun',
        'wovenAsyncStart',
        'wovenCall',
        'wovenGenerator',
      ].sort(),
    );
  });
});
