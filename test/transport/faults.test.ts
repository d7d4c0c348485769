// The fault matrix: whatever the server does, the application sees no throw and no unhandled
// rejection, memory stays bounded, the failure is logged once with the server's words, and
// delivery resumes when the server behaves again.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../../runtime/transport/index.js';
import type { Transport } from '../../runtime/transport/transport.js';
import { startLocalIntake } from '../helpers/local-intake.js';
import { type FaultMode, freePort, startFaultServer, until } from './fault-server.js';
import { type RecordingLogger, recordingLogger, span, testConfig } from './transport-fixtures.js';

// Backoff "seconds" of 5 ms: 0, 5, 20, 45, 80, 125, 180 ms, so retries happen within a test.
const fast = { backoffUnitMs: 5 };
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let transport: Transport | undefined;

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  await transport?.close();
  transport = undefined;
  expect(unhandled).toEqual([]);
});

function warnings(logger: RecordingLogger): string[] {
  return logger.lines.filter((l) => l.level === 'warn' || l.level === 'error').map((l) => l.message);
}

describe('server down', () => {
  it('from the start: 100k events leave the queue at its cap, drops counted, delivery resumes', async () => {
    const port = await freePort();
    const logger = recordingLogger();
    // Requests end after 50 ms on their own, so recovery shows without a flush.
    transport = createHttpTransport(
      testConfig({ serverUrl: `http://127.0.0.1:${port}`, apiRequestTime: 50 }),
      logger,
      fast,
    );
    for (let i = 0; i < 100_000; i++) transport.send('span', span(i));
    expect(transport.stats).toEqual({ queued: 1024, dropped: 100_000 - 1024, failed: 0, sent: 0 });
    // Let it fail a few times: refused connections take no event with them.
    await until(() => logger.lines.some((l) => l.level === 'debug'), 'a second failed attempt');
    for (let i = 0; i < 1000; i++) transport.send('span', span(i));
    expect(transport.stats).toEqual({ queued: 1024, dropped: 101_000 - 1024, failed: 0, sent: 0 });
    expect(warnings(logger)).toHaveLength(1);
    expect(warnings(logger)[0]).toMatch(
      new RegExp(`cannot send events to http://127.0.0.1:${port}: connect ECONNREFUSED`),
    );

    const intake = await startLocalIntake({ port });
    try {
      await intake.waitForKind('span', 1024);
      await until(() => transport?.stats.sent === 1024, 'the acknowledgement');
      expect(intake.dataOf('span')[0]?.name).toBe('span 0');
      expect(logger.lines.at(-1)).toMatchObject({
        level: 'info',
        message: expect.stringMatching(/works again/),
      });
      expect(intake.stats.rejected).toBe(0);
    } finally {
      await intake.close();
    }
  });

  it('flush() and close() at a dead server resolve instead of waiting for it', async () => {
    const port = await freePort();
    transport = createHttpTransport(
      testConfig({ serverUrl: `http://127.0.0.1:${port}` }),
      recordingLogger(),
      {
        backoffUnitMs: 60_000,
      },
    );
    for (let i = 0; i < 10; i++) transport.send('span', span(i));
    await transport.flush();
    expect(transport.stats).toMatchObject({ queued: 10, failed: 10, sent: 0 });
    transport.send('span', span(11)); // now backing off for about a minute
    await transport.close();
    expect(transport.stats).toMatchObject({ queued: 11, failed: 11, sent: 0 });
  });

  it('going away mid-run and coming back on the same port', async () => {
    let intake = await startLocalIntake();
    const port = intake.port;
    const logger = recordingLogger();
    transport = createHttpTransport(testConfig({ serverUrl: intake.url, apiRequestTime: 50 }), logger, fast);
    transport.send('span', span(1));
    await transport.flush();
    expect(intake.dataOf('span')).toHaveLength(1);
    await intake.close();

    for (let i = 2; i <= 5; i++) transport.send('span', span(i));
    await until(() => warnings(logger).length > 0, 'the failure to be logged');
    intake = await startLocalIntake({ port });
    try {
      await intake.waitForKind('span', 4);
      expect(intake.dataOf('span').map((s) => s.name)).toEqual(['span 2', 'span 3', 'span 4', 'span 5']);
      expect(warnings(logger)).toHaveLength(1);
    } finally {
      await intake.close();
    }
  });
});

interface FaultCase {
  name: string;
  mode: FaultMode;
  logged: RegExp;
  serverTimeout?: number;
}

const cases: FaultCase[] = [
  {
    name: '503 (queue full)',
    mode: { kind: 'status', status: 503, body: '{"error":"queue is full"}' },
    logged: /answered 503: queue is full/,
  },
  {
    name: '400 with an error body',
    mode: {
      kind: 'status',
      status: 400,
      body: '{"accepted":0,"errors":[{"message":"decode error: span: missing trace_id","document":"{}"}]}',
    },
    logged: /answered 400: decode error: span: missing trace_id/,
  },
  {
    name: '401',
    mode: {
      kind: 'status',
      status: 401,
      body: '{"error":"authentication failed: missing or invalid credentials"}',
    },
    logged: /answered 401: authentication failed/,
  },
  {
    name: '403',
    mode: { kind: 'status', status: 403, body: '{"error":"unauthorized: API key lacks privileges"}' },
    logged: /answered 403: unauthorized: API key lacks privileges/,
  },
  {
    name: 'a plain-text 502 from a proxy',
    mode: { kind: 'status', status: 502, body: 'Bad Gateway' },
    logged: /answered 502: Bad Gateway/,
  },
  { name: 'connection reset mid-body', mode: { kind: 'reset' }, logged: /ECONNRESET|socket hang up|EPIPE/ },
  {
    name: 'slow server (no answer)',
    mode: { kind: 'silent' },
    logged: /did not answer within 200 ms/,
    serverTimeout: 200,
  },
];

describe('faulty server', () => {
  for (const c of cases) {
    it(`${c.name}: nothing thrown, logged once with the reason, events counted failed, then recovery`, async () => {
      const server = await startFaultServer(c.mode);
      const logger = recordingLogger();
      try {
        const config = testConfig({
          serverUrl: server.url,
          serverTimeout: c.serverTimeout ?? 30_000,
          apiRequestTime: 50,
        });
        transport = createHttpTransport(config, logger, fast);
        for (let round = 0; round < 3; round++) {
          for (let i = 0; i < 20; i++) transport.send('span', span(round * 20 + i));
          await transport.flush();
        }
        expect(transport.stats).toEqual({ queued: 60, dropped: 0, failed: 60, sent: 0 });
        expect(warnings(logger)).toHaveLength(1);
        expect(warnings(logger)[0]).toMatch(c.logged);

        server.mode = { kind: 'ok' };
        await until(() => logger.lines.some((l) => l.level === 'debug'), 'the streak to be logged at debug');
        transport.send('span', span(100));
        await until(() => transport?.stats.sent === 1, 'delivery after recovery');
        await transport.flush();
        expect(server.received).toEqual([{ span: span(100) }]);
        expect(warnings(logger)).toHaveLength(1);
        expect(logger.lines.at(-1)?.message).toMatch(
          /works again after \d+ failed attempts \(60 events lost\)/,
        );
      } finally {
        await server.close();
      }
    });
  }

  it('never logs the secret token or API key, even when the server echoes them', async () => {
    const server = await startFaultServer({
      kind: 'status',
      status: 401,
      body: '{"error":"bad credentials: {authorization}"}',
    });
    const logger = recordingLogger();
    try {
      for (const auth of [
        { secretToken: 's3cr3t-t0ken' },
        { apiKey: 'k3y-k3y', secretToken: 's3cr3t-t0ken' },
      ]) {
        transport = createHttpTransport(testConfig({ serverUrl: server.url, ...auth }), logger, fast);
        transport.send('span', span(1));
        await transport.flush();
        await transport.close();
      }
      const text = logger.text();
      expect(text).toMatch(/answered 401: bad credentials/);
      expect(text).not.toContain('s3cr3t-t0ken');
      expect(text).not.toContain('k3y-k3y');
      expect(text).toContain('[REDACTED]');
    } finally {
      await server.close();
    }
  });
});
