// A small timing harness (mitata cannot yield to the event loop inside a measured loop): each case runs in
// batches of `batchOps` operations, yielding to the event loop every `yieldEvery` operations and a few times
// at the end, so deferred work (a sender's setImmediate drain, gzip callbacks, batch exporters) lands inside
// the measured window. Cases are interleaved round by round so drift on a busy machine hits all of them alike.
// A case may also `settle` (flush its agent) at the end of each batch, so work an agent defers past the batch is
// charged to it and not to the next case. Per case and batch we keep, per operation: wall time, main-thread time
// (see mainThreadClock) and CPU time of the whole process (process.cpuUsage(): all threads, gzip included).
import { performance } from 'node:perf_hooks';
import { setImmediate as immediate } from 'node:timers/promises';
import { otherThreadsCpuNs, threadCpuAvailable } from './thread-cpu.js';

export interface BenchCase {
  name: string;
  /** One operation; returns something so the call is not optimised away. */
  op: (i: number) => unknown;
  /**
   * Runs the batch (`runBatch`) in whatever context the case needs (a transaction, a root span) and resolves when
   * it is done. Called from a fresh event-loop turn, so context a case enters cannot leak into the next case.
   */
  around?: (runBatch: () => Promise<void>) => Promise<void>;
  /** Overrides HarnessOptions.yieldEvery (cases that defer nothing can be timed in a tight loop). */
  yieldEvery?: number;
  /** Multiplies HarnessOptions.batchOps: a tight loop of a few ns per call needs long batches to time. */
  batchScale?: number;
  /** Waits until the agent has done the work it deferred (sent or exported what it has). Inside the window. */
  settle?: () => Promise<void>;
}

export interface CaseResult {
  name: string;
  /**
   * Medians over batches, nanoseconds per operation: wall time, event-loop active time, main-thread CPU time
   * (NaN where thread-cpu.ts cannot read it), CPU time of all threads.
   */
  wallNs: number;
  mainNs: number;
  mainCpuNs: number;
  cpuNs: number;
  /** Main-thread CPU per op, summed over all batches (NaN where Node lacks process.threadCpuUsage). */
  threadCpuTotalNs: number;
  /** Spread of wall time per op over batches (min, max), to show how noisy the run was. */
  wallMinNs: number;
  wallMaxNs: number;
  batches: number;
}

export interface HarnessOptions {
  rounds: number;
  batchOps: number;
  yieldEvery: number;
  /** Unmeasured rounds first, so every case is optimised before timing starts. */
  warmupRounds: number;
}

let blackhole: unknown;

/** Keeps a value alive so the optimiser cannot drop the work that produced it. */
export function consume(value: unknown): void {
  blackhole = value;
}

/** Runs `fn` from a fresh setImmediate turn (its own async context) and waits for it. */
function inFreshTurn(fn: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      fn().then(resolve, reject);
    });
  });
}

type ThreadCpuUsage = (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage;
const threadCpuUsage = (process as { threadCpuUsage?: ThreadCpuUsage }).threadCpuUsage;

/**
 * Main-thread time: CPU time of the main thread where thread-cpu.ts can read it (Linux), else the event loop's
 * active time (wall time not spent idle waiting for I/O; it also counts time the thread was runnable but
 * preempted, by other processes or by the agent's own gzip thread on a 2-core machine). Both are kept.
 * (process.threadCpuUsage(), Node >= 23.9, is only updated at scheduler ticks on Linux: useless per batch, so
 * it is summed over all batches of a case and reported beside, where available.)
 */
export const mainThreadClock = threadCpuAvailable ? 'main-thread CPU time' : 'event-loop active time';

function mainThreadNs(): number {
  return performance.eventLoopUtilization().active * 1e6;
}

function threadCpuNs(): number {
  if (!threadCpuUsage) return Number.NaN;
  const usage = threadCpuUsage.call(process);
  return (usage.user + usage.system) * 1000;
}

async function runBatch(benchCase: BenchCase, options: HarnessOptions, sample: number[][]): Promise<void> {
  const batchOps = options.batchOps * (benchCase.batchScale ?? 1);
  const yieldEvery = benchCase.yieldEvery ?? options.yieldEvery;
  const op = benchCase.op;
  const body = async (): Promise<void> => {
    const others0 = threadCpuAvailable ? otherThreadsCpuNs() : 0;
    const cpu0 = process.cpuUsage();
    const main0 = mainThreadNs();
    const thread0 = threadCpuNs();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batchOps; i++) {
      blackhole = op(i);
      if (i % yieldEvery === yieldEvery - 1) await immediate();
    }
    // Let work deferred by the last operations run inside the window too.
    for (let k = 0; k < 3; k++) await immediate();
    if (benchCase.settle) await benchCase.settle();
    const wall = Number(process.hrtime.bigint() - t0);
    const main = mainThreadNs() - main0;
    const thread = threadCpuNs() - thread0;
    const cpu = process.cpuUsage(cpu0);
    const cpuNs = (cpu.user + cpu.system) * 1000;
    const mainCpu = threadCpuAvailable ? cpuNs - (otherThreadsCpuNs() - others0) : Number.NaN;
    sample.push([wall / batchOps, main / batchOps, cpuNs / batchOps, thread / batchOps, mainCpu / batchOps]);
  };
  await inFreshTurn(() => (benchCase.around ? benchCase.around(body) : body()));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Measures every case; results in the order given. */
export async function measureCases(
  cases: readonly BenchCase[],
  options: HarnessOptions,
): Promise<CaseResult[]> {
  // Agents unref their sockets; while a settle waits on one, nothing else would keep the loop alive, and
  // 'beforeExit' would fire and make agents shut down (elastic-apm-node ends its client there).
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    return await measureInterleaved(cases, options);
  } finally {
    clearInterval(keepAlive);
  }
}

async function measureInterleaved(
  cases: readonly BenchCase[],
  options: HarnessOptions,
): Promise<CaseResult[]> {
  const samples = cases.map(() => [] as number[][]);
  const scratch: number[][] = [];
  for (let round = 0; round < options.warmupRounds; round++) {
    for (const benchCase of cases) await runBatch(benchCase, options, scratch);
  }
  for (let round = 0; round < options.rounds; round++) {
    // Rotate the starting case so no case always follows the same neighbour.
    for (let k = 0; k < cases.length; k++) {
      const index = (k + round) % cases.length;
      await runBatch(cases[index] as BenchCase, options, samples[index] as number[][]);
    }
  }
  consume(blackhole);
  return cases.map((benchCase, index) => {
    const rows = samples[index] as number[][];
    const walls = rows.map((row) => row[0] as number);
    return {
      name: benchCase.name,
      wallNs: median(walls),
      mainNs: median(rows.map((row) => row[1] as number)),
      mainCpuNs: median(rows.map((row) => row[4] as number)),
      cpuNs: median(rows.map((row) => row[2] as number)),
      threadCpuTotalNs: rows.reduce((sum, row) => sum + (row[3] as number), 0) / rows.length,
      wallMinNs: Math.min(...walls),
      wallMaxNs: Math.max(...walls),
      batches: rows.length,
    };
  });
}

type Hold = (n: number) => Promise<() => Promise<void>>;

export interface HeapResult {
  /** Heap bytes per in-flight operation with a span, without one, and the difference (the span's share). */
  withSpan: number;
  withoutSpan: number;
  perSpan: number;
}

/**
 * Heap bytes per live span: `withSpan(n)` starts n in-flight operations each holding an open span, `withoutSpan(n)`
 * the same operations without spans; each returns its release function. Pairs are measured `repeats` times, with
 * `settle` (the agent's flush) before each measurement so spans ended earlier are not still queued. Needs --expose-gc.
 */
export async function heapPerSpan(
  withSpan: Hold,
  withoutSpan: Hold,
  options: { count: number; repeats: number; settle: () => Promise<void> },
): Promise<HeapResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') throw new Error('run with --expose-gc');
  const measure = async (hold: Hold): Promise<number> => {
    await options.settle();
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const release = await hold(options.count);
    gc();
    gc();
    const after = process.memoryUsage().heapUsed;
    await release();
    return (after - before) / options.count;
  };
  const keepAlive = setInterval(() => {}, 1 << 30);
  const withBytes: number[] = [];
  const withoutBytes: number[] = [];
  try {
    for (let r = 0; r < options.repeats; r++) {
      withoutBytes.push(await measure(withoutSpan));
      withBytes.push(await measure(withSpan));
    }
  } finally {
    clearInterval(keepAlive);
  }
  const w = median(withBytes);
  const wo = median(withoutBytes);
  return { withSpan: w, withoutSpan: wo, perSpan: w - wo };
}
