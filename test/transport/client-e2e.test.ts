// The real Client (runtime/index.ts) with its default HTTP transport, reporting into the real
// local intake on loopback: everything it sends is accepted and valid by the schemas.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Client, captureSpan } from '../../runtime/index.js';
import { AGENT_NAME, AGENT_VERSION } from '../../runtime/version.js';
import { assertValidIntake, type IntakeKind } from '../helpers/intake-schema.js';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { recordingLogger } from './transport-fixtures.js';

let intake: LocalIntake;
let client: Client | undefined;

beforeEach(async () => {
  intake = await startLocalIntake({ secretToken: 'e2e-token' });
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  await intake.close();
});

it('a Client reports transactions, spans and errors that the intake accepts', async () => {
  const logger = recordingLogger();
  client = new Client(
    intake.clientConfig({
      serviceName: 'e2e-service',
      serviceVersion: '3.1',
      secretToken: 'e2e-token',
      logger,
    }),
  );
  client.beginTransaction('request');
  const result = captureSpan('SELECT FROM orders', { type: 'db.postgresql.query' }, () => 42);
  client.captureException(new Error('boom'));
  client.captureMessage('hello');
  client.endTransaction('GET /orders', 'HTTP 2xx');
  await client.flush();

  expect(result).toBe(42);
  const events = intake.events();
  expect(events.filter((e) => e.kind === 'transaction')).toHaveLength(1);
  expect(events.filter((e) => e.kind === 'span')).toHaveLength(1);
  expect(events.filter((e) => e.kind === 'error')).toHaveLength(2);
  for (const e of events) {
    assertValidIntake(e.kind as IntakeKind, e.data);
    assertValidIntake('metadata', e.metadata);
  }
  expect(events[0]?.metadata).toMatchObject({
    service: { name: 'e2e-service', version: '3.1', agent: { name: AGENT_NAME, version: AGENT_VERSION } },
  });
  expect(intake.stats.rejected).toBe(0);
  for (const request of intake.requests()) {
    expect(request).toMatchObject({ status: 202, errors: [] });
    expect(request.lines[0]).toBe('metadata');
    expect(request.headers).toMatchObject({
      'content-encoding': 'gzip',
      authorization: 'Bearer e2e-token',
      'user-agent': `${AGENT_NAME}/${AGENT_VERSION} (e2e-service 3.1)`,
    });
  }
  expect(logger.lines.filter((l) => l.level !== 'debug')).toEqual([]);
});
