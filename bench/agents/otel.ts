// OpenTelemetry in its own process: startActiveSpan with the AsyncLocalStorage context manager and a batch
// span processor whose exporter does no encoding at all (it only counts), so OTel's cost here is span
// bookkeeping and context alone. The baselines are measured in this process too.

import { type Span, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { reportResult } from '../child.js';
import { type BenchCase, heapPerSpan, mainThreadClock, measureCases } from '../harness.js';
import {
  type AgentReport,
  baselineCases,
  liveSpanHolder,
  OTEL_SPAN,
  OTEL_TRACE,
  plainWork,
  readSettings,
} from './common.js';

/** Accepts every batch and counts it: no encoding, no I/O. */
class CountingExporter implements SpanExporter {
  exported = 0;
  export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    this.exported += spans.length;
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

const settings = readSettings();
const exporter = new CountingExporter();
const processor = new BatchSpanProcessor(exporter, {
  maxQueueSize: 8192,
  maxExportBatchSize: 512,
});
const provider = new NodeTracerProvider({ spanProcessors: [processor] });
provider.register({ contextManager: new AsyncLocalStorageContextManager() });
const tracer = trace.getTracer('otel-bench');

const cases: BenchCase[] = [
  ...baselineCases(),
  {
    name: OTEL_SPAN,
    op: (i) =>
      tracer.startActiveSpan('work', (span: Span) => {
        const r = plainWork(i);
        span.end();
        return r;
      }),
    settle: () => provider.forceFlush(),
    around: (runBatch) =>
      tracer.startActiveSpan('bench', async (root: Span) => {
        await runBatch();
        root.end();
      }),
  },
  {
    name: OTEL_TRACE,
    op: (i) =>
      tracer.startActiveSpan('one', (root: Span) => {
        const r = tracer.startActiveSpan('work', (span: Span) => {
          const value = plainWork(i);
          span.end();
          return value;
        });
        root.end();
        return r;
      }),
    settle: () => provider.forceFlush(),
  },
];

const results = await measureCases(cases, settings);
await provider.forceFlush();
const afterTiming = { exported: exporter.exported };

const heapHold = (start: (g: Promise<void>, i: number) => Promise<unknown>) => {
  const hold = liveSpanHolder(start);
  return (n: number) =>
    tracer.startActiveSpan('heap', async (root: Span) => {
      const release = await hold(n);
      return async () => {
        await release();
        root.end();
      };
    });
};
// Without a span: the same closure shape, an async callback awaiting the gate.
const run = <T>(fn: () => T): T => fn();
const heap = await heapPerSpan(
  heapHold((g) =>
    tracer.startActiveSpan('wait', async (span: Span) => {
      await g;
      span.end();
    }),
  ),
  heapHold((g) =>
    run(async () => {
      await g;
    }),
  ),
  { count: settings.heapCount, repeats: settings.heapRepeats, settle: () => provider.forceFlush() },
);

const report: AgentReport = {
  agent: '@opentelemetry/sdk-trace-node',
  node: process.version,
  mainThreadClock,
  cases: results,
  heap,
  delivery: { timed: afterTiming },
};
reportResult(report);
await provider.shutdown();
