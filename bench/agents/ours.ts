// apm-weaver in its own process: woven functions (woven by the real transformer, loaded as a module) calling
// into the runtime from dist/, reporting through the real HTTP transport (NDJSON + gzip) to the sink.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Runtime from '../../runtime/index.js';
import type * as Transformer from '../../transformer/index.js';
import { reportResult } from '../child.js';
import { type BenchCase, heapPerSpan, mainThreadClock, measureCases } from '../harness.js';
import { benchTmp, distUrl } from '../paths.js';
import {
  type AgentReport,
  baselineCases,
  liveSpanHolder,
  plainWait,
  readSettings,
  TIGHT,
  TIGHT_LOOP,
  TRANSACTION_WITH_SPAN,
  WOVEN_IN_TRANSACTION,
  WOVEN_NO_TRANSACTION,
} from './common.js';

interface WovenModule {
  work(x: number): number;
  waitFor(gate: Promise<void>): Promise<void>;
}

// Same bodies as plainWork / plainWait in common.ts; the marker makes them woven.
const SOURCE = `
// @apm-span
export function work(x) {
  return (x * 31) ^ 7;
}
// @apm-span
export async function waitFor(gate) {
  await gate;
}
`;

async function loadWoven(runtimeUrl: string): Promise<WovenModule> {
  const { weave } = (await import(distUrl('transformer/index.js'))) as typeof Transformer;
  const woven = weave(SOURCE, 'bench-work.js', { runtime: runtimeUrl });
  if (woven?.woven.length !== 2) throw new Error('the transformer did not weave the bench functions');
  const dir = join(benchTmp, 'woven');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `work-${process.pid}.mjs`);
  writeFileSync(file, woven.code);
  return (await import(pathToFileURL(file).href)) as WovenModule;
}

/**
 * `discard` mode: the same runtime with a transport that drops every event unencoded, so the span's own cost
 * (create, make current, end, hand over) can be set beside OpenTelemetry's, whose exporter encodes nothing.
 */
class DiscardingTransport implements Runtime.Transport {
  readonly stats = { queued: 0, dropped: 0, failed: 0, sent: 0 };
  send(): void {
    this.stats.dropped++;
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

const settings = readSettings();
const discard = process.argv[3] === 'discard';
// `main` mode: the in-thread transport (transportThread 'main'), for the trade against the worker, same run.
const inThread = process.argv[3] === 'main';
// The package entry users get (`apm-weaver` resolves to it): the bundled runtime, with the transport worker beside it.
const runtimeUrl = distUrl('apm-weaver.js');
const runtime = (await import(runtimeUrl)) as typeof Runtime;
const woven = await loadWoven(runtimeUrl);
const client = new runtime.Client({
  serviceName: 'apm-weaver-bench',
  serverUrl: settings.sinkUrl,
  transactionMaxSpans: -1,
  logLevel: 'warning',
  transportThread: inThread ? 'main' : 'worker',
  ...(discard ? { transport: new DiscardingTransport() } : {}),
});

const cases: BenchCase[] = [
  ...baselineCases(),
  { name: WOVEN_NO_TRANSACTION, op: (i) => woven.work(i) },
  ...baselineCases(true),
  { name: WOVEN_NO_TRANSACTION + TIGHT, op: (i) => woven.work(i), ...TIGHT_LOOP },
  {
    name: WOVEN_IN_TRANSACTION,
    op: (i) => woven.work(i),
    settle: () => client.flush(),
    around: async (runBatch) => {
      client.beginTransaction('bench');
      if (runtime.getTransactionId() === undefined) throw new Error('no current transaction');
      await runBatch();
      client.endTransaction('batch');
    },
  },
  {
    name: TRANSACTION_WITH_SPAN,
    op: (i) => {
      client.beginTransaction('bench');
      const r = woven.work(i);
      client.endTransaction('one');
      return r;
    },
    settle: () => client.flush(),
  },
];

const results = await measureCases(cases, settings);
await client.flush();
const afterTiming = { ...client.transport?.stats };

const heapHold = (start: (g: Promise<void>, i: number) => Promise<unknown>) => {
  const hold = liveSpanHolder(start);
  return async (n: number) => {
    client.beginTransaction('heap');
    const release = await hold(n);
    return async () => {
      await release();
      client.endTransaction('heap');
    };
  };
};
const heap =
  discard || inThread
    ? { withSpan: Number.NaN, withoutSpan: Number.NaN, perSpan: Number.NaN }
    : await heapPerSpan(
        heapHold((g) => woven.waitFor(g)),
        heapHold((g) => plainWait(g)),
        { count: settings.heapCount, repeats: settings.heapRepeats, settle: () => client.flush() },
      );

// The shape's own share: the same woven and plain calls with no transaction, so no span and no context frame.
const heapWovenShape =
  discard || inThread
    ? undefined
    : await heapPerSpan(
        liveSpanHolder((g) => woven.waitFor(g)),
        liveSpanHolder((g) => plainWait(g)),
        {
          count: settings.heapCount,
          repeats: settings.heapRepeats,
          settle: () => client.flush(),
        },
      );

await client.flush();
const report: AgentReport = {
  agent: discard
    ? 'apm-weaver (events discarded)'
    : inThread
      ? 'apm-weaver (in-thread transport)'
      : 'apm-weaver',
  node: process.version,
  mainThreadClock,
  cases: results,
  heap,
  ...(heapWovenShape ? { heapWovenShape } : {}),
  delivery: { timed: afterTiming, total: { ...client.transport?.stats } },
};
reportResult(report);
await client.close();
