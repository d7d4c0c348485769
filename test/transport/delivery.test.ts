// The transport against the real local intake on loopback: what arrives, in which requests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../../runtime/transport/index.js';
import type { Transport } from '../../runtime/transport/transport.js';
import { assertValidIntake } from '../helpers/intake-schema.js';
import { type IntakeEvent, type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { startFaultServer, until } from './fault-server.js';
import { recordingLogger, sampleEvents, span, testConfig } from './transport-fixtures.js';

let intake: LocalIntake;
let transport: Transport | undefined;

beforeEach(async () => {
  intake = await startLocalIntake();
});
afterEach(async () => {
  await transport?.close();
  transport = undefined;
  await intake.close();
});

describe('delivery to the local intake', () => {
  it('sends every event type, valid by the schemas, with metadata first, gzipped', async () => {
    const logger = recordingLogger();
    transport = createHttpTransport(testConfig({ serverUrl: intake.url }), logger);
    const samples = sampleEvents();
    for (const { kind, event } of samples) transport.send(kind, event);
    await transport.flush();

    expect(transport.stats).toEqual({ queued: samples.length, dropped: 0, failed: 0, sent: samples.length });
    const events = intake.events();
    expect(events.map((e) => e.kind)).toEqual(samples.map((s) => s.kind));
    expect(new Set(events.map((e) => e.kind))).toEqual(
      new Set(['transaction', 'span', 'error', 'metricset']),
    );
    for (const e of events) assertValidIntake(e.kind as 'span', e.data);
    assertValidIntake('metadata', events[0]?.metadata);
    const [request] = intake.requests();
    expect(request?.status).toBe(202);
    expect(request?.lines[0]).toBe('metadata');
    expect(request?.headers['content-encoding']).toBe('gzip');
    expect(request?.headers['content-type']).toBe('application/x-ndjson');
    expect(request?.headers['transfer-encoding']).toBe('chunked');
    expect(intake.stats.rejected).toBe(0);
    expect(logger.lines).toEqual([]);
  });

  it('ends a request after apiRequestTime and opens a new one with its own metadata line', async () => {
    transport = createHttpTransport(
      testConfig({ serverUrl: intake.url, apiRequestTime: 50 }),
      recordingLogger(),
    );
    transport.send('span', span(1));
    await intake.waitForKind('span', 1);
    // No flush: the request ends on its own. (Its lines may arrive before it ends: the transport worker compresses
    // each write as a gzip member of its own.)
    await until(() => intake.requests()[0]?.status === 202, 'the first request to end');
    transport.send('span', span(2));
    await intake.waitForKind('span', 2);
    const requests = intake.requests();
    expect(requests).toHaveLength(2);
    for (const r of requests) expect(r.lines).toEqual(['metadata', 'span']);
    expect(intake.dataOf('span').map((s) => s.name)).toEqual(['span 1', 'span 2']);
  });

  it('ends a request once apiRequestSize bytes were written', async () => {
    transport = createHttpTransport(
      testConfig({ serverUrl: intake.url, apiRequestSize: 4000 }),
      recordingLogger(),
    );
    // Sent across ticks, as an application would, so several batches reach the open request.
    for (let i = 0; i < 200; i++) {
      transport.send('span', span(i));
      if (i % 10 === 9) await new Promise((r) => setImmediate(r));
    }
    await transport.flush();
    const requests = intake.requests();
    expect(requests.length).toBeGreaterThan(5);
    for (const r of requests) {
      expect(r.status).toBe(202);
      expect(r.lines[0]).toBe('metadata');
      expect(r.lines.filter((l) => l === 'metadata')).toHaveLength(1);
    }
    // Every span exactly once. Up to MAX_OPEN_REQUESTS requests are in flight at once, and the server stores lines
    // as each request's body arrives, so only the order within one request is the order sent.
    const spans = intake.events().filter((e) => e.kind === 'span');
    const sentIndex = (e: IntakeEvent) => Number(String(e.data.name).replace('span ', ''));
    expect(spans.map(sentIndex).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const byRequest = new Map<object, number[]>();
    for (const e of spans) byRequest.set(e.metadata, [...(byRequest.get(e.metadata) ?? []), sentIndex(e)]);
    expect(byRequest.size).toBeGreaterThan(5);
    for (const indices of byRequest.values()) expect(indices).toEqual([...indices].sort((a, b) => a - b));
    expect(transport.stats.sent).toBe(200);
  });

  it('sends an error promptly, without waiting for the request time or a flush', async () => {
    transport = createHttpTransport(
      testConfig({ serverUrl: intake.url, apiRequestTime: 60_000 }),
      recordingLogger(),
    );
    const error = sampleEvents().find((s) => s.kind === 'error');
    transport.send('span', span(1));
    transport.send('error', error?.event ?? {});
    const events = await intake.waitForKind('error', 1);
    expect(events).toHaveLength(1);
    expect(intake.dataOf('span')).toHaveLength(1);
  });

  it('flush() waits for the acknowledgement of everything queued before it', async () => {
    transport = createHttpTransport(
      testConfig({ serverUrl: intake.url, apiRequestTime: 60_000 }),
      recordingLogger(),
    );
    for (let i = 0; i < 50; i++) transport.send('span', span(i));
    await transport.flush();
    expect(intake.dataOf('span')).toHaveLength(50);
    expect(transport.stats.sent).toBe(50);
    // An idle flush resolves at once, and a second flush after more events waits for those too.
    await transport.flush();
    transport.send('span', span(50));
    await transport.flush();
    expect(intake.dataOf('span')).toHaveLength(51);
  });

  it('close() flushes, then refuses new events and counts them as dropped', async () => {
    transport = createHttpTransport(
      testConfig({ serverUrl: intake.url, apiRequestTime: 60_000 }),
      recordingLogger(),
    );
    transport.send('span', span(1));
    await transport.close();
    expect(intake.dataOf('span')).toHaveLength(1);
    transport.send('span', span(2));
    expect(transport.stats).toEqual({ queued: 1, dropped: 1, failed: 0, sent: 1 });
    await transport.flush();
    await transport.close();
  });

  it('drops an event JSON cannot encode, counts it failed, and delivers the rest', async () => {
    const logger = recordingLogger();
    transport = createHttpTransport(testConfig({ serverUrl: intake.url }), logger);
    const circular: Record<string, unknown> = { ...span(1) };
    circular.self = circular;
    transport.send('span', span(0));
    transport.send('span', circular);
    transport.send('span', { ...span(2), big: 10n });
    transport.send('span', span(3));
    await transport.flush();
    expect(intake.dataOf('span').map((s) => s.name)).toEqual(['span 0', 'span 3']);
    expect(transport.stats).toEqual({ queued: 4, dropped: 0, failed: 2, sent: 2 });
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  it('keeps the queue bounded while the request is busy, counting drops', async () => {
    transport = createHttpTransport(
      testConfig({ serverUrl: intake.url, maxQueueSize: 10 }),
      recordingLogger(),
    );
    for (let i = 0; i < 25; i++) transport.send('span', span(i));
    expect(transport.stats).toMatchObject({ queued: 10, dropped: 15 });
    await transport.flush();
    expect(transport.stats).toEqual({ queued: 10, dropped: 15, failed: 0, sent: 10 });
    expect(intake.dataOf('span').map((s) => s.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `span ${i}`),
    );
  });

  it('disableSend: accepts events, sends nothing, logs nothing', async () => {
    const logger = recordingLogger();
    transport = createHttpTransport(testConfig({ serverUrl: intake.url, disableSend: true }), logger);
    transport.send('span', span(1));
    await transport.flush();
    await transport.close();
    expect(intake.stats.requests).toBe(0);
    expect(logger.lines).toEqual([]);
  });

  it('starts the next request while the previous one waits for a slow answer; flush waits for all', async () => {
    const server = await startFaultServer({ kind: 'ok', answerAfterMs: 150 });
    try {
      transport = createHttpTransport(
        testConfig({ serverUrl: server.url, apiRequestSize: 3000 }),
        recordingLogger(),
      );
      for (let i = 0; i < 60; i++) {
        transport.send('span', span(i));
        if (i % 5 === 4) await new Promise((r) => setTimeout(r, 5));
      }
      await transport.flush();
      expect(transport.stats).toEqual({ queued: 60, dropped: 0, failed: 0, sent: 60 });
      expect(server.maxConcurrent).toBeGreaterThan(1);
      expect(server.maxConcurrent).toBeLessThanOrEqual(3);
      const names = server.received.map((line) => (line.span as { name: string }).name);
      expect(names).toEqual(Array.from({ length: 60 }, (_, i) => `span ${i}`));
    } finally {
      await server.close();
    }
  });
});
