// The transport worker (runtime/transport/worker-transport.ts) with the built worker entry from dist/, reporting to
// real servers on loopback: woven calls and transactions arrive valid, lines are byte for byte those of the
// in-thread transport, flush/close/stats behave like HttpTransport's, a full ring drops and counts, and a missing,
// broken or foreign worker file leaves the in-thread transport to send everything.
// Build first: `npx tsc -p tsconfig.build.json` (npm test does).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../runtime/index.js';
import { SpanEvent } from '../../runtime/span-event.js';
import { DeferredTransport } from '../../runtime/transport/deferred-transport.js';
import { createHttpTransport, TRANSPORT_WORKER_FILE } from '../../runtime/transport/index.js';
import type { Transport } from '../../runtime/transport/transport.js';
import { WorkerTransport } from '../../runtime/transport/worker-transport.js';
import { weave } from '../../transformer/index.js';
import { assertValidIntake, type IntakeKind } from '../helpers/intake-schema.js';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { repoRoot } from '../helpers/spec.js';
import { freePort, until } from './fault-server.js';
import { recordingLogger, sampleEvents, testConfig } from './transport-fixtures.js';

const builtWorker = pathToFileURL(join(repoRoot, 'dist/runtime/transport/apm-weaver-transport-worker.js'));
const metadata = { service: { name: 'worker-test', agent: { name: 'apm-weaver', version: '0.0.0' } } };
let dir: string;
let intake: LocalIntake;
const open: Transport[] = [];

beforeAll(async () => {
  if (!existsSync(builtWorker))
    throw new Error(`${builtWorker} is missing: build first (npx tsc -p tsconfig.build.json)`);
  dir = mkdtempSync(join(tmpdir(), 'apm-weaver-worker-'));
  intake = await startLocalIntake();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
  delete (globalThis as Record<symbol, unknown>)[TRANSPORT_WORKER_FILE];
});
afterAll(async () => {
  await intake.close();
  rmSync(dir, { recursive: true, force: true });
});

function transportFor(serverUrl: string, overrides: Record<string, unknown> = {}, workerFile = builtWorker) {
  const logger = recordingLogger();
  const transport = createHttpTransport(
    testConfig({ serverUrl, apiRequestTime: 60_000, ...overrides }),
    logger,
    {
      workerFile,
      metadata,
      backoffUnitMs: 5,
    },
  );
  open.push(transport);
  return { transport, logger };
}

/** A plain span (what every woven call reports), numbered so deliveries can be counted and ordered. */
function plainSpan(n: number, transactionId = 'abcdefabcdef0123'): SpanEvent {
  const id = (n + 1).toString(16).padStart(16, '0');
  return new SpanEvent(
    id,
    transactionId,
    n % 2 === 0 ? transactionId : '0123456789abcdef',
    '0123456789abcdef0123456789abcdef',
    `span ${n % 7}`,
    'app',
    n % 3 === 0 ? 'internal' : undefined,
    n % 5 === 0 ? 'run' : undefined,
    1_700_000_000_000_000 + n,
    n / 3,
    n % 4 === 0 ? 'failure' : 'success',
    n % 6 === 0 ? undefined : 0.5,
    undefined,
    undefined,
    undefined,
  );
}

/** A server that keeps every request body's NDJSON lines as they were sent (after gunzip). */
async function startRawServer(): Promise<{ url: string; lines: string[]; server: Server }> {
  const lines: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      lines.push(...gunzipSync(Buffer.concat(chunks)).toString('utf8').split('\n').filter(Boolean));
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines, server };
}

describe('the transport worker', () => {
  it('delivers woven calls, transactions and errors of a Client to the intake, all valid', async () => {
    (globalThis as Record<symbol, unknown>)[TRANSPORT_WORKER_FILE] = builtWorker;
    const woven = weave('// @apm-span\nexport function work(x) { return x * 2; }\n', 'work.js', {
      runtime: 'apm-weaver',
    });
    const file = join(dir, 'work.mjs');
    writeFileSync(file, woven?.code ?? '');
    const { work } = (await import(pathToFileURL(file).href)) as { work(x: number): number };
    const before = intake.events().length;
    const client = new Client(intake.clientConfig({ serviceName: 'worker-e2e', transactionMaxSpans: -1 }));
    // The sender loads with the first event (deferred-transport.ts).
    expect(client.transport).toBeInstanceOf(DeferredTransport);
    expect((client.transport as DeferredTransport).sender).toBeUndefined();
    client.beginTransaction('job');
    let sum = 0;
    for (let i = 0; i < 500; i++) sum += work(i);
    client.captureMessage('done');
    client.endTransaction('batch', 'ok');
    await client.close();
    expect((client.transport as DeferredTransport).sender).toBeInstanceOf(WorkerTransport);

    expect(sum).toBe(249_500);
    const events = intake.events().slice(before);
    expect(events.filter((e) => e.kind === 'span')).toHaveLength(500);
    expect(events.filter((e) => e.kind === 'error')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'transaction')).toHaveLength(1);
    for (const event of events) assertValidIntake(event.kind as IntakeKind, event.data);
    expect(events.find((e) => e.kind === 'span')?.data).toMatchObject({ name: 'work', type: 'code' });
    expect(client.transport?.stats).toEqual({ queued: 502, dropped: 0, failed: 0, sent: 502 });
  });

  it('sends byte for byte the lines the in-thread transport sends, in the same order', async () => {
    const raw = { worker: await startRawServer(), main: await startRawServer() };
    const events = sampleEvents();
    for (let n = 0; n < 300; n++) events.push({ kind: 'span', event: plainSpan(n) as never });
    events.push({ kind: 'span', event: plainSpan(300, 'fedcba9876543210') as never });
    // Values the fast paths must not bend: non-ASCII and quoted names, a lone surrogate, numbers JSON has no form for.
    const odd = (name: string, duration: number, rate: number | undefined) =>
      new SpanEvent(
        '00000000000000aa',
        'abcdefabcdef0123',
        'abcdefabcdef0123',
        '0123456789abcdef0123456789abcdef',
        name,
        'app "quoted"',
        'ünïcødé',
        undefined,
        1_700_000_000_000_000,
        duration,
        'unknown',
        rate,
        undefined,
        undefined,
        undefined,
      );
    for (const event of [
      odd('grüße 🎉', 1, 1),
      odd('lone \ud800 surrogate', 2, 0.25),
      odd('nan', Number.NaN, 1),
      odd('inf', 1, Number.POSITIVE_INFINITY),
      odd('big', 1e21, 1e-7),
    ])
      events.push({ kind: 'span', event: event as never });
    const worker = transportFor(raw.worker.url).transport;
    const main = transportFor(raw.main.url, { transportThread: 'main' }).transport;
    expect(worker).toBeInstanceOf(WorkerTransport);
    expect(main).not.toBeInstanceOf(WorkerTransport);
    for (const { kind, event } of events) {
      worker.send(kind, event);
      main.send(kind, event);
    }
    await Promise.all([worker.flush(), main.flush()]);
    expect(raw.worker.lines.length).toBe(events.length + 1); // with the metadata line
    expect(raw.worker.lines).toEqual(raw.main.lines);
    expect(worker.stats).toEqual(main.stats);
    await Promise.all([worker.close(), main.close()]);
    for (const { server } of Object.values(raw)) server.close();
  });

  it('flush() covers what was sent before it; stats are right after it; close() drops what comes later', async () => {
    const { transport } = transportFor(intake.url);
    const before = intake.dataOf('span').length;
    for (let n = 0; n < 100; n++) transport.send('span', plainSpan(n));
    await transport.flush();
    expect(intake.dataOf('span').length - before).toBe(100);
    expect(transport.stats).toEqual({ queued: 100, dropped: 0, failed: 0, sent: 100 });
    for (let n = 100; n < 150; n++) transport.send('span', plainSpan(n));
    await transport.close();
    expect(intake.dataOf('span').length - before).toBe(150);
    transport.send('span', plainSpan(150));
    expect(transport.stats).toEqual({ queued: 150, dropped: 1, failed: 0, sent: 150 });
  });

  it('a full ring drops and counts, and what it kept is delivered', async () => {
    const { transport } = transportFor(intake.url, { maxQueueSize: 16 });
    const before = intake.dataOf('span').length;
    const total = 20_000;
    for (let n = 0; n < total; n++) transport.send('span', plainSpan(n));
    await transport.flush();
    const { queued, dropped, failed, sent } = transport.stats;
    expect(dropped).toBeGreaterThan(0);
    expect(queued + dropped).toBe(total);
    expect({ failed, sent }).toEqual({ failed: 0, sent: queued });
    expect(intake.dataOf('span').length - before).toBe(queued);
  });

  it('flush() waits for events the worker takes while it flushes, beyond its queue', async () => {
    const { transport } = transportFor(intake.url, { maxQueueSize: 16 });
    await transport.flush(); // nothing yet
    transport.send('span', plainSpan(0));
    await transport.flush(); // the sender works now: the ring takes more than maxQueueSize
    const before = intake.dataOf('span').length;
    for (let round = 0; round < 40; round++) {
      for (let n = 0; n < 16; n++) transport.send('span', plainSpan(round * 16 + n));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await transport.flush();
    expect(transport.stats).toEqual({ queued: 641, dropped: 0, failed: 0, sent: 641 });
    expect(intake.dataOf('span').length - before).toBe(640);
  });

  it('a flush of many times what the HTTP queue holds is one request', async () => {
    const { transport } = transportFor(intake.url, { maxQueueSize: 16 });
    transport.send('span', plainSpan(0));
    await transport.flush(); // the sender works now: the ring takes more than maxQueueSize
    const before = intake.dataOf('span').length;
    const perRequest: number[] = [];
    for (let round = 0; round < 20; round++) {
      const requestsBefore = intake.requests().length;
      for (let n = 0; n < 320; n++) transport.send('span', plainSpan(n));
      await transport.flush();
      perRequest.push(
        ...intake
          .requests()
          .slice(requestsBefore)
          .map((r) => r.lines.length),
      );
    }
    expect(transport.stats).toEqual({ queued: 6401, dropped: 0, failed: 0, sent: 6401 });
    expect(intake.dataOf('span').length - before).toBe(6400);
    // Not one per queueful: a new request that is still connecting is no reason to end the one before.
    expect(perRequest).toEqual(Array.from({ length: 20 }, () => 321));
  });

  it('a server that refuses: the events count as failed once flush() resolves', async () => {
    const { transport, logger } = transportFor(`http://127.0.0.1:${await freePort()}`);
    for (let n = 0; n < 10; n++) transport.send('span', plainSpan(n));
    transport.send('transaction', sampleEvents().find((e) => e.kind === 'transaction')?.event ?? {});
    await transport.flush();
    expect(transport.stats).toEqual({ queued: 11, dropped: 0, failed: 11, sent: 0 });
    expect(logger.text()).toMatch(
      /warn: cannot send events to http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/,
    );
  });

  it('an event that cannot be encoded counts as queued and failed, with one warning', async () => {
    const { transport, logger } = transportFor(intake.url);
    const cyclic: Record<string, unknown> = { id: 'x' };
    cyclic.self = cyclic;
    transport.send('error', cyclic);
    transport.send('error', cyclic);
    transport.send('span', plainSpan(1));
    await transport.flush();
    expect(transport.stats).toEqual({ queued: 3, dropped: 0, failed: 2, sent: 1 });
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });
});

describe('without a usable worker file the in-thread transport sends everything', () => {
  async function deliversAll(workerFile: URL, expectedLog: RegExp): Promise<void> {
    const { transport, logger } = transportFor(intake.url, {}, workerFile);
    const before = intake.dataOf('span').length;
    for (let n = 0; n < 50; n++) transport.send('span', plainSpan(n));
    await transport.flush();
    expect(intake.dataOf('span').length - before).toBe(50);
    expect(transport.stats).toEqual({ queued: 50, dropped: 0, failed: 0, sent: 50 });
    expect(logger.text()).toMatch(expectedLog);
  }

  it('missing (the runtime was bundled into an app)', async () => {
    await deliversAll(
      pathToFileURL(join(dir, 'nowhere.js')),
      /debug: the transport worker file .* is not next to/,
    );
  });

  it('broken (it throws when loaded)', async () => {
    const file = join(dir, 'broken-worker.mjs');
    writeFileSync(file, 'throw new Error("broken worker file");\n');
    await deliversAll(pathToFileURL(file), /warn: the transport worker failed: broken worker file/);
  });

  it('from another version (it refuses the ring)', async () => {
    const file = join(dir, 'foreign-worker.mjs');
    writeFileSync(
      file,
      `import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ type: 'incompatible', protocol: 99 });
parentPort.on('message', () => {});\n`,
    );
    await deliversAll(pathToFileURL(file), /debug: the transport worker file belongs to another version/);
  });
});

describe('a worker that stops while running', () => {
  it('leaves the rest to the in-thread transport: what it delivered and everything after arrives', async () => {
    // The real worker entry, which this thread ends after a while as a crash would.
    const file = join(dir, 'stopping-worker.mjs');
    writeFileSync(
      file,
      `import ${JSON.stringify(builtWorker.href)};
import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => { if (m.type === 'stop') setTimeout(() => process.exit(3), 10); });
`,
    );
    const { transport, logger } = transportFor(intake.url, {}, pathToFileURL(file));
    const before = intake.dataOf('span').length;
    for (let n = 0; n < 100; n++) transport.send('span', plainSpan(n));
    await transport.flush();
    expect(transport.stats).toEqual({ queued: 100, dropped: 0, failed: 0, sent: 100 });
    (transport as unknown as { worker: { postMessage(m: unknown): void } }).worker.postMessage({
      type: 'stop',
    });
    await until(
      () => /the transport worker stopped \(exit code 3\)/.test(logger.text()),
      'the worker to stop',
    );
    for (let n = 100; n < 200; n++) transport.send('span', plainSpan(n));
    await transport.flush();
    expect(transport.stats).toEqual({ queued: 200, dropped: 0, failed: 0, sent: 200 });
    expect(intake.dataOf('span').length - before).toBe(200);
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  it('dies while closing: close() still resolves, and every event is delivered or counted', async () => {
    const file = join(dir, 'dying-on-close.mjs');
    writeFileSync(
      file,
      `import ${JSON.stringify(builtWorker.href)};
import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => { if (m.type === 'close') process.exit(3); });
`,
    );
    const { transport } = transportFor(intake.url, {}, pathToFileURL(file));
    for (let n = 0; n < 10; n++) transport.send('span', plainSpan(n));
    await transport.close();
    const stats = transport.stats;
    expect(stats.queued).toBe(10);
    expect(stats.sent + stats.failed + stats.dropped).toBe(10);
  });
});
