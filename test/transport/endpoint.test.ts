import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../runtime/transport/endpoint.js';
import { createHttpTransport } from '../../runtime/transport/index.js';
import { recordingLogger, testConfig } from './transport-fixtures.js';

function endpointOf(serverUrl: string) {
  const endpoint = resolveEndpoint(testConfig({ serverUrl }), recordingLogger());
  if ('problem' in endpoint) return endpoint;
  endpoint.agent.destroy();
  return { options: endpoint.options, displayUrl: endpoint.displayUrl };
}

describe('resolveEndpoint', () => {
  it('appends the intake path to the server URL, keeping a path prefix', () => {
    expect(endpointOf('http://127.0.0.1:8200')).toMatchObject({
      options: { hostname: '127.0.0.1', port: '8200', path: '/intake/v2/events', method: 'POST' },
    });
    expect(endpointOf('https://apm.example.com/proxy/apm/')).toMatchObject({
      options: {
        hostname: 'apm.example.com',
        port: 443,
        path: '/proxy/apm/intake/v2/events',
        protocol: 'https:',
      },
      displayUrl: 'https://apm.example.com/proxy/apm',
    });
    expect(endpointOf('http://apm.local:8200/apm///')).toMatchObject({
      options: { path: '/apm/intake/v2/events' },
      displayUrl: 'http://apm.local:8200/apm',
    });
  });
  it('unbrackets IPv6 literals for the socket', () => {
    expect(endpointOf('http://[::1]:8200')).toMatchObject({
      options: { hostname: '::1' },
      displayUrl: 'http://[::1]:8200',
    });
  });
  it('keeps credentials and query out of the loggable URL', () => {
    expect(endpointOf('http://user:pass@apm.local:8200/?token=x')).toMatchObject({
      displayUrl: 'http://apm.local:8200',
    });
  });
  it('names the problem with an unusable URL', () => {
    expect(endpointOf('not a url')).toEqual({ problem: 'serverUrl is not a valid URL' });
    expect(endpointOf('ftp://apm.local')).toEqual({ problem: 'serverUrl must be http or https, not ftp:' });
  });

  it('createHttpTransport with an unusable URL logs once and drops, never throws', async () => {
    const logger = recordingLogger();
    const transport = createHttpTransport(testConfig({ serverUrl: 'not a url' }), logger);
    transport.send('span', {});
    await transport.flush();
    await transport.close();
    expect(transport.stats).toEqual({ queued: 0, dropped: 1, failed: 0, sent: 0 });
    expect(logger.lines).toEqual([
      { level: 'error', message: 'events will not be sent: serverUrl is not a valid URL' },
    ]);
  });
});
