// elastic-apm-node in its own process (it patches modules on start): startSpan/end inside a transaction,
// every span kept (transactionMaxSpans -1), no metrics, no central config, no span stack traces (its cheapest
// setting), reporting to the sink like apm-weaver does. The baselines are measured in this process too.
import { createRequire } from 'node:module';
import { reportResult } from '../child.js';
import { type BenchCase, heapPerSpan, mainThreadClock, measureCases } from '../harness.js';
import {
  type AgentReport,
  baselineCases,
  ELASTIC_SPAN,
  ELASTIC_TRANSACTION,
  liveSpanHolder,
  plainWait,
  plainWork,
  readSettings,
} from './common.js';

interface ElasticSpan {
  end(): void;
}
interface ElasticAgent {
  start(options: Record<string, unknown>): ElasticAgent;
  startTransaction(name: string): ElasticSpan;
  startSpan(name: string): ElasticSpan | null;
  flush(): Promise<void>;
  destroy(): Promise<void>;
  _apmClient?: { _getStats?: () => Record<string, unknown> };
}

const settings = readSettings();
const require = createRequire(import.meta.url);
const apm = (require('elastic-apm-node') as ElasticAgent).start({
  serviceName: 'elastic-bench',
  serverUrl: settings.sinkUrl,
  transactionMaxSpans: -1,
  metricsInterval: '0s',
  centralConfig: false,
  cloudProvider: 'none',
  captureExceptions: false,
  spanStackTraceMinDuration: -1,
  logLevel: 'warn',
});

const cases: BenchCase[] = [
  ...baselineCases(),
  {
    name: ELASTIC_SPAN,
    op: (i) => {
      const span = apm.startSpan('work');
      const r = plainWork(i);
      span?.end();
      return r;
    },
    settle: () => apm.flush(),
    around: async (runBatch) => {
      const transaction = apm.startTransaction('bench');
      await runBatch();
      transaction.end();
    },
  },
  {
    name: ELASTIC_TRANSACTION,
    op: (i) => {
      const transaction = apm.startTransaction('one');
      const span = apm.startSpan('work');
      const r = plainWork(i);
      span?.end();
      transaction.end();
      return r;
    },
    settle: () => apm.flush(),
  },
];

const results = await measureCases(cases, settings);
await apm.flush();
const afterTiming = apm._apmClient?._getStats?.();

const heapHold = (start: (g: Promise<void>, i: number) => Promise<unknown>) => {
  const hold = liveSpanHolder(start);
  return async (n: number) => {
    const transaction = apm.startTransaction('heap');
    const release = await hold(n);
    return async () => {
      await release();
      transaction.end();
    };
  };
};
const heap = await heapPerSpan(
  heapHold(async (g) => {
    const span = apm.startSpan('wait');
    await g;
    span?.end();
  }),
  heapHold((g) => plainWait(g)),
  { count: settings.heapCount, repeats: settings.heapRepeats, settle: () => apm.flush() },
);

const report: AgentReport = {
  agent: 'elastic-apm-node',
  node: process.version,
  mainThreadClock,
  cases: results,
  heap,
  delivery: { timed: afterTiming },
};
reportResult(report);
await apm.destroy();
process.exit(0);
