// Startup cost: from process start to "agent ready", for empty node, `import` + new Client, elastic-apm-node start
// and the OpenTelemetry SDK start. Child processes, interleaved, medians.
// apm-weaver is measured as users get it: `import ... from 'apm-weaver'` resolved through package.json's exports
// (the children run inside this package, so the name resolves to itself), which is the package entry
// dist/apm-weaver.js. Beside it, for comparison: the same runtime as tsc's ~50 files (dist/runtime/index.js), the
// size bench's minified bundle, and what the first event adds (the sender's file, loaded then; its worker thread
// starts too, so that row's CPU holds some of the thread's start, as much as ran by then).
// Each child reports wall time (performance.now(), whose origin is the process start) and CPU time of all its
// threads (process.cpuUsage()); CPU time is the steadier of the two on a busy machine.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { median } from './harness.js';
import { benchTmp, distUrl, repoRoot } from './paths.js';

export interface StartupResult {
  /** Median ms from process start to ready, per variant: wall time and CPU time. */
  wallMs: Record<string, number>;
  cpuMs: Record<string, number>;
  /** Median minus empty node's median. */
  wallOverheadMs: Record<string, number>;
  cpuOverheadMs: Record<string, number>;
  runs: number;
  /** The file `apm-weaver` resolved to for the children, relative to the repo root (the shipped entry). */
  entry: string;
}

export const EMPTY = 'empty node';
export const OURS = 'apm-weaver: import + new Client';
export const OURS_UNBUNDLED = 'apm-weaver unbundled (dist/runtime/index.js): import + new Client';
export const OURS_MINIFIED = 'apm-weaver minified bundle (size bench): import + new Client';
/** What the first event adds: the sender (dist/apm-weaver-transport.js) loaded and handed the event. */
export const OURS_FIRST_EVENT = 'apm-weaver: import + new Client + first event, sender loaded';
export const ELASTIC = 'elastic-apm-node start';
export const OTEL = 'OpenTelemetry SDK start';

// The server URL is a closed port: every agent starts as it would with a server that is not there yet.
const NO_SERVER = 'http://127.0.0.1:9';
const READY = `{ const cpu = process.cpuUsage();
process.stdout.write(JSON.stringify({ wall: performance.now(), cpu: (cpu.user + cpu.system) / 1000 })); }`;

function scripts(bundleUrl: string): Record<string, { file: string; text: string }> {
  return {
    [EMPTY]: { file: 'empty.mjs', text: READY },
    [OURS]: {
      file: 'ours.mjs',
      text: `import { Client } from 'apm-weaver';
new Client({ serviceName: 'startup', serverUrl: '${NO_SERVER}' });
${READY}`,
    },
    [OURS_FIRST_EVENT]: {
      file: 'ours-first-event.mjs',
      text: `import { Client } from 'apm-weaver';
const client = new Client({ serviceName: 'startup', serverUrl: '${NO_SERVER}' });
client.captureMessage('first');
for (let turns = 0; client.transport.sender === undefined; turns++) {
  if (turns > 10000) throw new Error('the sender did not load');
  await new Promise((resolve) => setImmediate(resolve));
}
${READY}`,
    },
    [OURS_UNBUNDLED]: {
      file: 'ours-unbundled.mjs',
      text: `import { Client } from ${JSON.stringify(distUrl('runtime/index.js'))};
new Client({ serviceName: 'startup', serverUrl: '${NO_SERVER}' });
${READY}`,
    },
    [OURS_MINIFIED]: {
      file: 'ours-minified.mjs',
      text: `import { Client } from ${JSON.stringify(bundleUrl)};
new Client({ serviceName: 'startup', serverUrl: '${NO_SERVER}' });
${READY}`,
    },
    [ELASTIC]: {
      file: 'elastic.cjs',
      text: `require('elastic-apm-node').start({ serviceName: 'startup', serverUrl: '${NO_SERVER}', metricsInterval: '0s',
  centralConfig: false, cloudProvider: 'none', logLevel: 'off' });
${READY}`,
    },
    [OTEL]: {
      file: 'otel.cjs',
      text: `const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { BatchSpanProcessor, InMemorySpanExporter } = require('@opentelemetry/sdk-trace-base');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new InMemorySpanExporter())] });
provider.register({ contextManager: new AsyncLocalStorageContextManager() });
${READY}`,
    },
  };
}

/** Runs each variant `runs` times, interleaved. `bundleUrl` is the size bench's minified bundle of the runtime. */
export function measureStartup(runs: number, bundleUrl: string): StartupResult {
  // Inside the repo so the children resolve the peers from its node_modules.
  const dir = join(benchTmp, 'startup');
  mkdirSync(dir, { recursive: true });
  const entry = relative(repoRoot, createRequire(join(dir, 'resolve.mjs')).resolve('apm-weaver'));
  const variants = Object.entries(scripts(bundleUrl)).map(([name, { file, text }]) => {
    writeFileSync(join(dir, file), text);
    return { name, path: join(dir, file) };
  });
  const wall = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const cpu = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let run = 0; run < runs + 1; run++) {
    for (const variant of variants) {
      const child = spawnSync(process.execPath, [variant.path], { cwd: repoRoot, encoding: 'utf8' });
      let ready: { wall: number; cpu: number };
      try {
        ready = JSON.parse(child.stdout) as { wall: number; cpu: number };
      } catch {
        throw new Error(`startup ${variant.name} failed (${child.status}): ${child.stderr}`);
      }
      // The first round only warms the file system cache.
      if (run === 0) continue;
      wall.get(variant.name)?.push(ready.wall);
      cpu.get(variant.name)?.push(ready.cpu);
    }
  }
  const medians = (samples: Map<string, number[]>) =>
    Object.fromEntries([...samples].map(([name, values]) => [name, median(values)]));
  const overheads = (of: Record<string, number>) =>
    Object.fromEntries(Object.entries(of).map(([name, value]) => [name, value - (of[EMPTY] ?? 0)]));
  const wallMs = medians(wall);
  const cpuMs = medians(cpu);
  return { wallMs, cpuMs, wallOverheadMs: overheads(wallMs), cpuOverheadMs: overheads(cpuMs), runs, entry };
}
