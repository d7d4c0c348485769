// User-Agent and Authorization, as the cross-agent gherkin specs state them, checked on the
// function and on what the local intake actually receives.
import { afterEach, describe, expect, it } from 'vitest';
import { authorization, userAgent } from '../../runtime/transport/headers.js';
import { createHttpTransport } from '../../runtime/transport/index.js';
import { AGENT_NAME, AGENT_VERSION } from '../../runtime/version.js';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { recordingLogger, span, testConfig } from './transport-fixtures.js';

const prefix = `${AGENT_NAME}/${AGENT_VERSION}`;

describe('userAgent (user_agent.feature, with apm-weaver as the agent name)', () => {
  it('names the agent and version, and the service in parentheses', () => {
    expect(userAgent({ serviceName: 'myService', serviceVersion: undefined })).toBe(`${prefix} (myService)`);
    expect(userAgent({ serviceName: 'myService', serviceVersion: 'v42' })).toBe(`${prefix} (myService v42)`);
  });
  it('replaces ( ) and \\ inside the service part', () => {
    expect(userAgent({ serviceName: 'myService', serviceVersion: '123(:\\;)456' })).toBe(
      `${prefix} (myService 123_:_;_456)`,
    );
    expect(userAgent({ serviceName: 'myService/()<>@', serviceVersion: undefined })).toMatch(
      /^[a-z-]+\/[^ ]* \(.*\)$/,
    );
  });
  it('leaves out the parentheses without a service name', () => {
    expect(userAgent({ serviceName: '', serviceVersion: '1' })).toBe(prefix);
  });
  it('keeps the header legal for Node when names carry control or non-Latin-1 characters', () => {
    expect(userAgent({ serviceName: 'a\r\nb', serviceVersion: 'ü€' })).toBe(`${prefix} (a__b __)`);
  });
});

describe('authorization (api_key.feature)', () => {
  it('sends an API key as ApiKey', () => {
    expect(authorization({ apiKey: 'RTNxMjlXNEJt', secretToken: undefined })).toBe('ApiKey RTNxMjlXNEJt');
  });
  it('sends a secret token as Bearer', () => {
    expect(authorization({ apiKey: undefined, secretToken: 'secr3tT0ken' })).toBe('Bearer secr3tT0ken');
  });
  it('prefers the API key over the secret token', () => {
    expect(authorization({ apiKey: 'MjlXNEJasdfDt', secretToken: 'secr3tT0ken' })).toBe(
      'ApiKey MjlXNEJasdfDt',
    );
  });
  it('sends nothing when neither is set', () => {
    expect(authorization({ apiKey: undefined, secretToken: undefined })).toBeUndefined();
  });
});

describe('headers on the wire', () => {
  let intake: LocalIntake | undefined;
  afterEach(async () => {
    await intake?.close();
    intake = undefined;
  });

  it('a protected intake accepts the right secret token and API key and answers 401 otherwise', async () => {
    intake = await startLocalIntake({ secretToken: 'secr3tT0ken', apiKey: 'MjlXNEJasdfDt' });
    const auths = [
      { secretToken: 'secr3tT0ken' },
      { apiKey: 'MjlXNEJasdfDt', secretToken: 'wrong' },
      { secretToken: 'wrong' },
      {},
    ];
    const stats = [];
    for (const auth of auths) {
      const logger = recordingLogger();
      const transport = createHttpTransport(testConfig({ serverUrl: intake.url, ...auth }), logger);
      transport.send('span', span(1));
      await transport.close();
      stats.push(transport.stats.sent);
    }
    expect(stats).toEqual([1, 1, 0, 0]);
    const requests = intake.requests();
    expect(requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer secr3tT0ken',
      'ApiKey MjlXNEJasdfDt',
      'Bearer wrong',
      undefined,
    ]);
    expect(requests.map((r) => r.status)).toEqual([202, 202, 401, 401]);
  });

  it('sends the User-Agent with the service name and version', async () => {
    intake = await startLocalIntake();
    const transport = createHttpTransport(
      testConfig({ serverUrl: intake.url, serviceName: 'checkout', serviceVersion: '2.0 (beta)' }),
      recordingLogger(),
    );
    transport.send('span', span(1));
    await transport.close();
    expect(intake.requests()[0]?.headers['user-agent']).toBe(`${prefix} (checkout 2.0 _beta_)`);
  });
});
