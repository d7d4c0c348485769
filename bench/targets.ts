// The targets of issue 7, as rows of one table: what was measured for apm-weaver, what it is compared with
// (a peer or a baseline measured in the same process or run), the ratio and the target.

import {
  type AgentReport,
  ALS_RUN,
  BARE,
  ELASTIC_SPAN,
  ELASTIC_TRANSACTION,
  OTEL_SPAN,
  OTEL_TRACE,
  TIGHT,
  TRANSACTION_WITH_SPAN,
  WOVEN_IN_TRANSACTION,
  WOVEN_NO_TRANSACTION,
} from './agents/common.js';
import type { BuildCostResult } from './build-cost.js';
import type { CaseResult } from './harness.js';
import type { SizeResult } from './size.js';
import { ELASTIC, OURS, OURS_FIRST_EVENT, OURS_UNBUNDLED, type StartupResult } from './startup.js';

export interface Row {
  measure: string;
  ours: string;
  reference: string;
  /** ours / reference (or the measure's own ratio); NaN when not measurable. */
  ratio: number;
  /** The largest acceptable ratio, or undefined for rows that only inform. */
  target: number | undefined;
  met: boolean | undefined;
}

export const SIZE_TARGET_BYTES = 12_000;

function find(report: AgentReport, name: string): CaseResult {
  const found = report.cases.find((c) => c.name === name);
  if (!found) throw new Error(`${report.agent}: no case ${name}`);
  return found;
}

/** Cost of `name` over the bare call measured in the same process (the work and the yields cancel out). */
export function netCost(
  report: AgentReport,
  name: string,
  field: 'mainNs' | 'mainCpuNs' | 'cpuNs',
  bare = BARE,
): number {
  return find(report, name)[field] - find(report, bare)[field];
}

const ns = (value: number) => `${value.toFixed(0)} ns`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function row(measure: string, ours: string, reference: string, ratio: number, target?: number): Row {
  return {
    measure,
    ours,
    reference,
    ratio,
    target,
    met: target === undefined ? undefined : Number.isFinite(ratio) && ratio <= target,
  };
}

export function agentRows(
  ours: AgentReport,
  oursDiscarding: AgentReport,
  elastic: AgentReport,
  otel: AgentReport,
  /** The same runtime with the in-thread transport (transportThread 'main'): informative rows. */
  oursInThread?: AgentReport,
): Row[] {
  // Main-thread CPU time where every process could measure it (harness.ts mainThreadClock), else active time.
  const main = [ours, oursDiscarding, elastic, otel, ...(oursInThread ? [oursInThread] : [])].every((r) =>
    r.cases.every((c) => Number.isFinite(c.mainCpuNs)),
  )
    ? 'mainCpuNs'
    : 'mainNs';
  const discardingMain = netCost(oursDiscarding, WOVEN_IN_TRANSACTION, main);
  const oursMain = netCost(ours, WOVEN_IN_TRANSACTION, main);
  const oursCpu = netCost(ours, WOVEN_IN_TRANSACTION, 'cpuNs');
  const otelMain = netCost(otel, OTEL_SPAN, main);
  const elasticMain = netCost(elastic, ELASTIC_SPAN, main);
  const elasticCpu = netCost(elastic, ELASTIC_SPAN, 'cpuNs');
  const woven = netCost(ours, WOVEN_NO_TRANSACTION + TIGHT, main, BARE + TIGHT);
  const als = netCost(ours, ALS_RUN + TIGHT, main, BARE + TIGHT);
  const oursTx = netCost(ours, TRANSACTION_WITH_SPAN, main);
  const bestHeap = Math.min(elastic.heap.perSpan, otel.heap.perSpan);
  const inThreadRows: Row[] = [];
  if (oursInThread) {
    const inThreadMain = netCost(oursInThread, WOVEN_IN_TRANSACTION, main);
    const inThreadCpu = netCost(oursInThread, WOVEN_IN_TRANSACTION, 'cpuNs');
    inThreadRows.push(
      row(
        'span, in-thread transport, main thread vs OTel',
        ns(inThreadMain),
        `OTel ${ns(otelMain)}`,
        inThreadMain / otelMain,
      ),
      row(
        'span, in-thread transport, CPU all threads vs elastic',
        ns(inThreadCpu),
        `elastic ${ns(elasticCpu)}`,
        inThreadCpu / elasticCpu,
      ),
    );
  }
  return [
    row(
      'span in a transaction, main thread vs OTel',
      ns(oursMain),
      `OTel ${ns(otelMain)}`,
      oursMain / otelMain,
      1 / 4,
    ),
    row(
      'span, events discarded unencoded, main thread vs OTel',
      ns(discardingMain),
      `OTel ${ns(otelMain)}`,
      discardingMain / otelMain,
    ),
    row(
      'span in a transaction, main thread vs elastic',
      ns(oursMain),
      `elastic ${ns(elasticMain)}`,
      oursMain / elasticMain,
      1 / 50,
    ),
    row(
      'span in a transaction, CPU all threads vs elastic',
      ns(oursCpu),
      `elastic ${ns(elasticCpu)}`,
      oursCpu / elasticCpu,
      1 / 20,
    ),
    ...inThreadRows,
    row(
      'woven call, no transaction: extra vs ALS.run extra',
      ns(woven),
      `ALS.run ${ns(als)}`,
      Math.max(0, woven) / als,
      1 / 4,
    ),
    row(
      'heap per live span vs best peer',
      `${bestHeapText(ours.heap.perSpan)}`,
      `${bestHeapText(bestHeap)}`,
      ours.heap.perSpan / bestHeap,
      1 / 2,
    ),
    ...(ours.heapWovenShape
      ? [
          row(
            'heap per live call, woven shape alone (no transaction) vs best peer span',
            `${bestHeapText(ours.heapWovenShape.perSpan)}`,
            `${bestHeapText(bestHeap)}`,
            ours.heapWovenShape.perSpan / bestHeap,
          ),
        ]
      : []),
    row(
      'transaction + one span, main thread vs OTel',
      ns(oursTx),
      `OTel ${ns(netCost(otel, OTEL_TRACE, main))}`,
      oursTx / netCost(otel, OTEL_TRACE, main),
    ),
    row(
      'transaction + one span, main thread vs elastic',
      ns(oursTx),
      `elastic ${ns(netCost(elastic, ELASTIC_TRANSACTION, main))}`,
      oursTx / netCost(elastic, ELASTIC_TRANSACTION, main),
    ),
  ];
}

function bestHeapText(bytes: number): string {
  return `${bytes.toFixed(0)} B`;
}

/** Ours is the entry users import (the bundle, startup.ts); the unbundled files are shown beside, without a target. */
export function startupRows(startup: StartupResult): Row[] {
  const cpu = startup.cpuOverheadMs;
  const wall = startup.wallOverheadMs;
  const oursCpu = cpu[OURS] ?? Number.NaN;
  const elasticCpu = cpu[ELASTIC] ?? Number.NaN;
  const oursWall = wall[OURS] ?? Number.NaN;
  const elasticWall = wall[ELASTIC] ?? Number.NaN;
  const unbundledCpu = cpu[OURS_UNBUNDLED] ?? Number.NaN;
  const firstEventCpu = cpu[OURS_FIRST_EVENT] ?? Number.NaN;
  return [
    row(
      'startup over empty node, CPU vs elastic',
      ms(oursCpu),
      `elastic ${ms(elasticCpu)}`,
      Math.max(0, oursCpu) / elasticCpu,
      1 / 20,
    ),
    row(
      'startup over empty node, wall vs elastic',
      ms(oursWall),
      `elastic ${ms(elasticWall)}`,
      Math.max(0, oursWall) / elasticWall,
      1 / 20,
    ),
    row(
      'startup over empty node, CPU, unbundled dist/runtime vs elastic',
      ms(unbundledCpu),
      `elastic ${ms(elasticCpu)}`,
      Math.max(0, unbundledCpu) / elasticCpu,
    ),
    // The sender loads with the first event, so part of the start moves there (the worker thread is most of it).
    row(
      'startup + first event (sender loaded, worker thread starting), CPU vs elastic start',
      ms(firstEventCpu),
      `elastic ${ms(elasticCpu)}`,
      Math.max(0, firstEventCpu) / elasticCpu,
    ),
  ];
}

/**
 * The target is the issue's own measure: the runtime bundled by esbuild and minified, one file, as bundlers get it
 * (the sender inline). Beside it, without a target: the entry `import 'apm-weaver'` loads in node, and every file the
 * application's thread can load there (entry + the sender loaded with the first event). bench/size.ts.
 */
export function sizeRows(size: SizeResult): Row[] {
  return [
    row(
      'runtime for bundlers (one file, sender inline), minified + gzip -9',
      kb(size.forBundlersGzipBytes),
      `target ${kb(SIZE_TARGET_BYTES)}`,
      size.forBundlersGzipBytes / SIZE_TARGET_BYTES,
      1,
    ),
    row(
      'runtime as an app bundled by esbuild keeps it (Client + woven functions, no instrument()), minified + gzip -9',
      kb(size.treeShakenApp.gzipBytes),
      `target ${kb(SIZE_TARGET_BYTES)}`,
      size.treeShakenApp.gzipBytes / SIZE_TARGET_BYTES,
    ),
    row(
      'runtime entry (loaded by import in node), esbuild minified + gzip -9',
      kb(size.gzipBytes),
      `target ${kb(SIZE_TARGET_BYTES)}`,
      size.gzipBytes / SIZE_TARGET_BYTES,
    ),
    row(
      'runtime all files in node (entry + sender loaded with the first event), minified + gzip -9',
      kb(size.allFilesGzipBytes),
      `target ${kb(SIZE_TARGET_BYTES)}`,
      size.allFilesGzipBytes / SIZE_TARGET_BYTES,
    ),
  ];
}

export function buildRows(build: BuildCostResult): Row[] {
  return build.projects.flatMap((project) => [
    row(
      `esbuild, ${project.files} files, ${project.marked} marked: with plugin / without`,
      ms(project.withMs),
      `without ${ms(project.withoutMs)}`,
      project.ratio,
      project.marked === 0 ? 1.1 : undefined,
    ),
    row(
      `esbuild, ${project.files} files, ${project.marked} marked: empty onLoad plugin / without`,
      ms(project.emptyOnLoadMs),
      `without ${ms(project.withoutMs)}`,
      project.emptyOnLoadRatio,
    ),
    row(
      `esbuild, ${project.files} files, ${project.marked} marked: plugin registering nothing / without`,
      ms(project.noopPluginMs),
      `without ${ms(project.withoutMs)}`,
      project.noopPluginRatio,
    ),
  ]);
}

/** One table, fixed-width columns. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['measure', 'apm-weaver', 'compared with', 'ratio', 'target', 'met'];
  const cells = rows.map((r) => [
    r.measure,
    r.ours,
    r.reference,
    Number.isFinite(r.ratio) ? r.ratio.toFixed(3) : 'n/a',
    r.target === undefined ? '' : `<= ${r.target.toFixed(3)}`,
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i] as number)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
