// The client's transport before its first event (runtime/transport/deferred-transport.ts): nothing loaded at
// construction, events kept in order while the sender loads, the same bound and counts as the sender's, and a
// sender that cannot be loaded reported once with every event counted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../../runtime/client.js';
import { MemoryTransport } from '../../runtime/memory-transport.js';
import { createClientTransport, DeferredTransport } from '../../runtime/transport/deferred-transport.js';
import { DiscardingTransport } from '../../runtime/transport/discarding-transport.js';
import { type IntakeEndpoint, resolveEndpoint } from '../../runtime/transport/endpoint.js';
import type { Transport } from '../../runtime/transport/transport.js';
import { WorkerTransport } from '../../runtime/transport/worker-transport.js';
import { assertValidIntake } from '../helpers/intake-schema.js';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { recordingLogger, sampleEvents, span, testConfig } from './transport-fixtures.js';

function endpointOf(url: string): IntakeEndpoint {
  const endpoint = resolveEndpoint(testConfig({ serverUrl: url }), recordingLogger());
  if ('problem' in endpoint) throw new Error(endpoint.problem);
  return endpoint;
}

/** A sender module whose load the test finishes, handing out a MemoryTransport as the sender. */
function heldLoad() {
  const sender = new MemoryTransport();
  let calls = 0;
  let finish: () => void = () => {};
  const loaded = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const load = async () => {
    calls++;
    await loaded;
    return { createSender: () => sender } as never;
  };
  return { sender, load, finish, calls: () => calls };
}

describe('the transport before its first event', () => {
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

  /** A DeferredTransport to the local intake whose sender module comes from `load`. */
  function deferredWith(
    load: ConstructorParameters<typeof DeferredTransport>[3],
    options: { maxQueueSize?: number; logger?: ReturnType<typeof recordingLogger> } = {},
  ): DeferredTransport {
    const config = testConfig({
      serverUrl: intake.url,
      ...(options.maxQueueSize === undefined ? {} : { maxQueueSize: options.maxQueueSize }),
    });
    return new DeferredTransport(config, options.logger ?? recordingLogger(), endpointOf(intake.url), load);
  }

  it('loads the real sender with the first event and delivers everything, in order, valid', async () => {
    const logger = recordingLogger();
    const deferred = createClientTransport(testConfig({ serverUrl: intake.url }), logger);
    transport = deferred;
    expect(deferred).toBeInstanceOf(DeferredTransport);
    expect((deferred as DeferredTransport).sender).toBeUndefined();
    const samples = sampleEvents();
    for (const { kind, event } of samples) deferred.send(kind, event);
    for (let n = 0; n < 50; n++) deferred.send('span', span(n));
    // Still loading: the events wait here, counted as queued.
    expect((deferred as DeferredTransport).sender).toBeUndefined();
    expect(deferred.stats).toEqual({ queued: samples.length + 50, dropped: 0, failed: 0, sent: 0 });
    await deferred.flush();

    expect((deferred as DeferredTransport).sender).toBeInstanceOf(WorkerTransport);
    const total = samples.length + 50;
    expect(deferred.stats).toEqual({ queued: total, dropped: 0, failed: 0, sent: total });
    const events = intake.events();
    expect(events.map((e) => e.kind)).toEqual([...samples.map((s) => s.kind), ...Array(50).fill('span')]);
    expect(events.slice(samples.length).map((e) => e.data.id)).toEqual(
      Array.from({ length: 50 }, (_, n) => span(n).id),
    );
    for (const e of events) assertValidIntake(e.kind as 'span', e.data);
    expect(logger.lines.filter((l) => l.level !== 'debug')).toEqual([]);
  });

  it("a Client's events after the load go to the sender, counted in the client transport's stats", async () => {
    const client = new Client({ ...intake.clientConfig(), logLevel: 'off' });
    const deferred = client.transport as DeferredTransport;
    client.captureMessage('before the sender');
    await client.flush();
    expect(deferred.sender).toBeInstanceOf(WorkerTransport);
    client.captureMessage('after the sender');
    client.beginTransaction('job');
    client.endTransaction('after', 'ok');
    await client.close();
    const messages = intake.dataOf('error').map((e) => (e.log as { message: string }).message);
    expect(messages).toEqual(['before the sender', 'after the sender']);
    expect(intake.dataOf('transaction').map((t) => t.name)).toEqual(['after']);
    expect(deferred.stats).toEqual({ queued: 3, dropped: 0, failed: 0, sent: 3 });
  });

  it('does not load anything for a client that never sends; flush and close resolve', async () => {
    const held = heldLoad();
    const deferred = deferredWith(held.load);
    await deferred.flush();
    await deferred.close();
    expect(held.calls()).toBe(0);
    expect(deferred.stats).toEqual({ queued: 0, dropped: 0, failed: 0, sent: 0 });
  });

  it('keeps at most maxQueueSize events while loading; the rest are dropped and counted', async () => {
    const held = heldLoad();
    const deferred = deferredWith(held.load, { maxQueueSize: 3 });
    for (let n = 0; n < 5; n++) deferred.send('span', span(n));
    expect(deferred.stats).toEqual({ queued: 3, dropped: 2, failed: 0, sent: 0 });
    expect(held.calls()).toBe(1);
    const flushed = deferred.flush();
    held.finish();
    await flushed;
    // Handed over in order; later events go straight to the sender.
    deferred.send('span', span(5));
    expect(held.sender.spans.map((s) => s.id)).toEqual([0, 1, 2, 5].map((n) => span(n).id));
    expect(deferred.stats).toEqual({ queued: 4, dropped: 2, failed: 0, sent: 4 });
  });

  it('close() while loading hands the waiting events over, then closes the sender; later events are dropped', async () => {
    const held = heldLoad();
    const deferred = deferredWith(held.load);
    deferred.send('span', span(1));
    const closed = deferred.close();
    deferred.send('span', span(2));
    held.finish();
    await closed;
    expect(held.sender.closed).toBe(true);
    expect(held.sender.spans.map((s) => s.id)).toEqual([span(1).id]);
    expect(deferred.stats).toEqual({ queued: 1, dropped: 1, failed: 0, sent: 1 });
  });

  it('a sender that cannot be loaded is reported once; its events count as failed, later ones as dropped', async () => {
    const logger = recordingLogger();
    const deferred = deferredWith(
      () => Promise.reject(new Error('Cannot find module apm-weaver-transport.js')),
      { logger },
    );
    deferred.send('span', span(1));
    deferred.send('span', span(2));
    await deferred.flush();
    deferred.send('span', span(3));
    await deferred.close();
    expect(deferred.stats).toEqual({ queued: 2, dropped: 1, failed: 2, sent: 0 });
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message:
          'cannot load the transport, events will not be sent: Error: Cannot find module apm-weaver-transport.js',
      },
    ]);
  });

  it('reports a bad server URL when the client starts, and never loads the sender for it', () => {
    const logger = recordingLogger();
    const transport = createClientTransport(testConfig({ serverUrl: 'ftp://example.com' }), logger);
    expect(transport).toBeInstanceOf(DiscardingTransport);
    expect(logger.text()).toBe('error: events will not be sent: serverUrl must be http or https, not ftp:');
    const quiet = createClientTransport(testConfig({ serverUrl: intake.url, disableSend: true }), logger);
    expect(quiet).toBeInstanceOf(DiscardingTransport);
  });
});
