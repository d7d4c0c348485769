// Plain spans handed to the transport worker as their parts (Span.end -> Client -> DeferredTransport ->
// WorkerTransport.sendPlainSpan -> SpanRecordWriter.writePlain), with no SpanEvent built: real spans and transactions,
// the built worker entry from dist/, real servers on loopback. The worker's line for each span is byte for byte the
// line of the SpanEvent the span would have reported; every span is counted; maxQueueSize bounds them; a closed
// transport drops and counts them. Build first: `npx tsc -p tsconfig.build.json` (npm test does).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../runtime/index.js';
import { Span, SpanKind } from '../../runtime/span.js';
import { REPORT_PLAIN_SPAN_V1, type SendPlainSpan } from '../../runtime/span-event.js';
import { traceParentFromString } from '../../runtime/trace-parent.js';
import { type Reporter, Transaction } from '../../runtime/transaction.js';
import type { DeferredTransport } from '../../runtime/transport/deferred-transport.js';
import { createHttpTransport, TRANSPORT_WORKER_FILE } from '../../runtime/transport/index.js';
import type { EventKind, Transport } from '../../runtime/transport/transport.js';
import { WorkerTransport } from '../../runtime/transport/worker-transport.js';
import { weave } from '../../transformer/index.js';
import { assertValidIntake } from '../helpers/intake-schema.js';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { repoRoot } from '../helpers/spec.js';
import { recordingLogger, testConfig } from './transport-fixtures.js';

const builtWorker = pathToFileURL(join(repoRoot, 'dist/runtime/transport/apm-weaver-transport-worker.js'));
const metadata = { service: { name: 'plain-spans-test', agent: { name: 'apm-weaver', version: '0.0.0' } } };
let dir: string;
let intake: LocalIntake;
const open: Transport[] = [];
const servers: Server[] = [];

beforeAll(async () => {
  if (!existsSync(builtWorker))
    throw new Error(`${builtWorker} is missing: build first (npx tsc -p tsconfig.build.json)`);
  dir = mkdtempSync(join(tmpdir(), 'apm-weaver-plain-'));
  intake = await startLocalIntake();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
  for (const server of servers.splice(0)) server.close();
  delete (globalThis as Record<symbol, unknown>)[TRANSPORT_WORKER_FILE];
});
afterAll(async () => {
  await intake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A server that keeps every request body's NDJSON lines as they were sent (after gunzip). */
async function startRawServer(): Promise<{ url: string; lines: string[] }> {
  const lines: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      lines.push(...gunzipSync(Buffer.concat(chunks)).toString('utf8').split('\n').filter(Boolean));
      res.writeHead(202).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines };
}

function transportFor(serverUrl: string, overrides: Record<string, unknown> = {}): Transport {
  const config = testConfig({ serverUrl, apiRequestTime: 60_000, ...overrides });
  const transport = createHttpTransport(config, recordingLogger(), {
    workerFile: builtWorker,
    metadata,
    backoffUnitMs: 5,
  });
  open.push(transport);
  return transport;
}

/**
 * A reporter that hands every plain span to the worker transport as its parts, then declines it, so that the span
 * also reports its SpanEvent: that goes to the in-thread transport (which encodes it with SpanEvent's own encoder),
 * and to the worker transport as well when the parts were not taken.
 */
function dualReporter(worker: WorkerTransport, main: Transport) {
  let plainTaken = false;
  const counts = { offered: 0, taken: 0 };
  const sendPlain: SendPlainSpan = (...parts) => {
    counts.offered++;
    plainTaken = worker.sendPlainSpan(...parts);
    if (plainTaken) counts.taken++;
    return false;
  };
  const reporter: Reporter = {
    config: testConfig({ transactionMaxSpans: -1 }),
    logger: recordingLogger(),
    report(kind: EventKind, event: object) {
      main.send(kind, event);
      if (!plainTaken) worker.send(kind, event);
      plainTaken = false;
    },
    [REPORT_PLAIN_SPAN_V1]: sendPlain,
  };
  return { reporter, counts };
}

describe('plain spans handed over as their parts', () => {
  it('become byte for byte the lines of the span events they stand for', async () => {
    const raw = { worker: await startRawServer(), main: await startRawServer() };
    const worker = transportFor(raw.worker.url);
    const main = transportFor(raw.main.url, { transportThread: 'main' });
    expect(worker).toBeInstanceOf(WorkerTransport);
    const { reporter, counts } = dualReporter(worker as WorkerTransport, main);
    const root = new Transaction(reporter, 'job', undefined, undefined);
    // Continued traces: a sample rate from tracestate, and none.
    const continued = new Transaction(
      reporter,
      'job',
      traceParentFromString('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'es=s:0.25'),
      undefined,
    );
    const noRate = new Transaction(
      reporter,
      'job',
      traceParentFromString('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'),
      undefined,
    );
    expect(continued.sampleRate).toBe(0.25);
    expect(noRate.sampleRate).toBeUndefined();
    // Nothing is taken as parts before the worker runs: the first event starts it.
    new Span(root, new SpanKind('before start', 'app', undefined, undefined, false, undefined)).end();
    expect(counts).toEqual({ offered: 1, taken: 0 });

    const kinds = [
      new SpanKind('work', 'code', 'custom', undefined, false, undefined),
      new SpanKind('grüße 🎉', 'db', 'postgresql', 'query', false, undefined),
      new SpanKind('a "quoted" \\ name', 'app "quoted"', undefined, 'run', false, undefined),
      new SpanKind('lone \ud800 surrogate', 'app', undefined, undefined, false, undefined),
      new SpanKind('labelled', 'app', undefined, undefined, false, { tags: { a: 1 } }),
    ];
    const transactions = [root, continued, noRate];
    let held: Span | undefined;
    for (let n = 0; n < 600; n++) {
      const transaction = transactions[n % 7 === 0 ? (n >> 3) % 3 : 0] as Transaction;
      const kind = kinds[n % 11 === 0 ? n % kinds.length : n % 3 === 0 ? 1 : 0] as SpanKind;
      // Two of every five spans are children of a span still open (of its own transaction), which ends after them.
      const child = n % 5 === 0 || n % 5 === 2;
      const parent = child && held !== undefined && held.transaction === transaction ? held : transaction;
      const span = new Span(parent, kind);
      if (n % 13 === 0) expect(span.id).toHaveLength(16); // read before the end: not taken from the id pool
      if (n % 4 === 0) span.outcome = n % 8 === 0 ? 'failure' : 'unknown';
      if (n % 17 === 0) span.name = `renamed ${n % 3}`;
      if (n % 19 === 0) span.type = 'external';
      if (n % 5 === 4) {
        held?.end();
        held = span;
      } else {
        span.end(span.startMs + (n % 9) * 0.1234567);
      }
    }
    held?.end();
    await Promise.all([worker.flush(), main.flush()]);
    // All but the lone surrogate's, the labelled spans and the first were taken as parts.
    expect(counts.offered).toBeGreaterThan(550);
    expect(counts.taken).toBeGreaterThan(500);
    expect(counts.taken).toBeLessThan(counts.offered);
    expect(raw.worker.lines.length).toBe(602); // with the metadata line
    expect(raw.worker.lines).toEqual(raw.main.lines);
    expect(worker.stats).toEqual(main.stats);
    expect(worker.stats).toEqual({ queued: 601, dropped: 0, failed: 0, sent: 601 });
    for (const line of raw.worker.lines.slice(1)) assertValidIntake('span', JSON.parse(line).span);
  });

  it('a Client sends nested woven calls as parts once the worker runs, all delivered and counted', async () => {
    (globalThis as Record<symbol, unknown>)[TRANSPORT_WORKER_FILE] = builtWorker;
    const woven = weave(
      '// @apm-span\nexport function inner(x) { return x + 1; }\n// @apm-span\nexport function outer(x) { return inner(x) * 2; }\n',
      'nested.js',
      { runtime: 'apm-weaver' },
    );
    const file = join(dir, 'nested.mjs');
    writeFileSync(file, woven?.code ?? '');
    const { outer } = (await import(pathToFileURL(file).href)) as { outer(x: number): number };
    const client = new Client(intake.clientConfig({ serviceName: 'plain-e2e', transactionMaxSpans: -1 }));
    const taken = countPlainSpans();
    try {
      client.beginTransaction('warm-up');
      client.endTransaction('warm-up');
      await client.flush(); // the first event loaded the sender and started the worker
      expect((client.transport as DeferredTransport).sender).toBeInstanceOf(WorkerTransport);
      const before = intake.dataOf('span').length;
      const transaction = client.beginTransaction('job');
      let sum = 0;
      for (let i = 0; i < 300; i++) sum += outer(i);
      client.endTransaction('batch');
      await client.flush();
      expect(sum).toBe(90_300);
      expect(taken.count).toBe(600);
      const spans = intake.dataOf('span').slice(before);
      expect(spans).toHaveLength(600);
      const outers = spans.filter((s) => s.name === 'outer');
      const inners = spans.filter((s) => s.name === 'inner');
      expect(outers).toHaveLength(300);
      expect(new Set(outers.map((s) => s.parent_id))).toEqual(new Set([transaction?.id]));
      // Each inner call's parent is the outer call it ran in.
      expect(inners.map((s) => s.parent_id)).toEqual(outers.map((s) => s.id));
      expect(new Set(spans.map((s) => s.id)).size).toBe(600);
      for (const span of spans) {
        assertValidIntake('span', span);
        expect(span).toMatchObject({ transaction_id: transaction?.id, trace_id: transaction?.traceId });
      }
      expect(client.transport?.stats).toEqual({ queued: 602, dropped: 0, failed: 0, sent: 602 });
    } finally {
      taken.restore();
      await client.close();
    }
  });

  it('are bounded by maxQueueSize while the sender is not known to work, and dropped once closed', async () => {
    const worker = transportFor(intake.url, { maxQueueSize: 8 }) as WorkerTransport;
    const nowhere: Transport = {
      send() {},
      flush: async () => {},
      close: async () => {},
      stats: { queued: 0, dropped: 0, failed: 0, sent: 0 },
    };
    const { reporter, counts } = dualReporter(worker, nowhere);
    const transaction = new Transaction(reporter, 'job', undefined, undefined);
    const kind = new SpanKind('bounded', 'app', undefined, undefined, false, undefined);
    for (let n = 0; n < 50; n++) new Span(transaction, kind).end();
    expect(counts).toEqual({ offered: 50, taken: 49 }); // the first started the worker as an event
    expect(worker.stats).toMatchObject({ queued: 8, dropped: 42 });
    await worker.close();
    new Span(transaction, kind).end();
    expect(counts).toEqual({ offered: 51, taken: 50 });
    expect(worker.stats).toMatchObject({ queued: 8, dropped: 43, failed: 0, sent: 8 });
  });
});

/** Counts the spans WorkerTransport takes as parts (the real method runs). */
function countPlainSpans(): { count: number; restore(): void } {
  const prototype = WorkerTransport.prototype;
  const original = prototype.sendPlainSpan;
  const counter = {
    count: 0,
    restore: () => {
      prototype.sendPlainSpan = original;
    },
  };
  prototype.sendPlainSpan = function (this: WorkerTransport, ...parts) {
    const taken = original.apply(this, parts);
    if (taken) counter.count++;
    return taken;
  };
  return counter;
}
