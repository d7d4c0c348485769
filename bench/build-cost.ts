// Build cost: weave throughput (MB/s) per front end on one marked corpus, and a generated 1000-file project
// bundled by esbuild with and without the apm-weaver esbuild plugin (no file marked; a few files marked).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import { build } from 'esbuild';
import type * as TS from 'typescript';
import type * as Transformer from '../transformer/index.js';
import { median } from './harness.js';
import { benchTmp, distUrl, repoRoot } from './paths.js';
import { throughputCorpus, writeProject } from './project.js';

export interface ThroughputRow {
  /** MB/s of input with the weaver (median run). */
  mbPerSecond: number;
  /** The same tool without the weaver, where there is one (Babel, TypeScript), for the weaver's share. */
  baselineMbPerSecond?: number;
}

export interface ProjectRow {
  files: number;
  marked: number;
  withoutMs: number;
  withMs: number;
  /** Median over the rounds of with / without in that round (each ms field is a median over all rounds). */
  ratio: number;
  /**
   * With a plugin whose onLoad does nothing at all: the floor for any plugin that must see every file (its ratio is
   * to builds without a plugin in its own series).
   */
  emptyOnLoadMs: number;
  emptyOnLoadRatio: number;
  /** With a plugin that registers nothing at all: what having any plugin costs in esbuild. */
  noopPluginMs: number;
  noopPluginRatio: number;
}

/** An esbuild plugin that is asked about every script and answers nothing (esbuild then loads the file). */
const emptyOnLoad: Plugin = {
  name: 'empty-onload',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, () => undefined);
  },
};

/** An esbuild plugin that registers no callback: esbuild's own cost of running a build with a plugin. */
const noopPlugin: Plugin = { name: 'noop', setup() {} };

export interface BuildCostResult {
  corpusBytes: number;
  throughput: Record<string, ThroughputRow>;
  projects: ProjectRow[];
}

export const MAGIC_STRING = 'weave() (magic-string)';
export const BABEL = 'Babel plugin (transformSync, preset-typescript)';
export const TYPESCRIPT = 'TypeScript transformer (transpileModule)';

/** Median ms of `fn` over `runs` runs after one warm-up. */
function timeRuns(runs: number, fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

interface BabelCore {
  transformSync(code: string, options: Record<string, unknown>): { code?: string | null } | null;
}

async function weaveThroughput(corpus: string, runs: number): Promise<Record<string, ThroughputRow>> {
  const bytes = Buffer.byteLength(corpus);
  const file = join(repoRoot, 'src', 'corpus.ts');
  const { weave } = (await import(distUrl('transformer/index.js'))) as typeof Transformer;
  const require = createRequire(join(repoRoot, 'package.json'));
  const babel = require('@babel/core') as BabelCore;
  const babelPlugin = ((await import(distUrl('transformer/babel.js'))) as { default: unknown }).default;
  const ts = require('typescript') as typeof TS;
  const { createWeaveTransformer } = (await import(distUrl('transformer/typescript.js'))) as {
    createWeaveTransformer: (ts: typeof TS, options?: object) => TS.TransformerFactory<TS.SourceFile>;
  };
  const woven = weave(corpus, file);
  if (!woven || woven.woven.length === 0) throw new Error('the corpus was not woven');

  const babelOptions = (plugins: unknown[]) => ({
    filename: file,
    babelrc: false,
    configFile: false,
    presets: [require.resolve('@babel/preset-typescript')],
    plugins,
    sourceMaps: true,
  });
  const transpile = (before: TS.TransformerFactory<TS.SourceFile>[]) =>
    ts.transpileModule(corpus, {
      fileName: file,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: true },
      transformers: { before },
    });
  const weaver = createWeaveTransformer(ts, {});
  if (!transpile([weaver]).outputText.includes('__apm')) throw new Error('the TS transformer did not weave');

  return {
    [MAGIC_STRING]: {
      mbPerSecond: mbps(
        bytes,
        timeRuns(runs, () => weave(corpus, file)),
      ),
    },
    [BABEL]: {
      mbPerSecond: mbps(
        bytes,
        timeRuns(runs, () => babel.transformSync(corpus, babelOptions([babelPlugin]))),
      ),
      baselineMbPerSecond: mbps(
        bytes,
        timeRuns(runs, () => babel.transformSync(corpus, babelOptions([]))),
      ),
    },
    [TYPESCRIPT]: {
      mbPerSecond: mbps(
        bytes,
        timeRuns(runs, () => transpile([weaver])),
      ),
      baselineMbPerSecond: mbps(
        bytes,
        timeRuns(runs, () => transpile([])),
      ),
    },
  };
}

/**
 * The order of the builds in each round of a series, one order after the other: over a cycle every variant runs
 * right after every other (and, of two, after itself) equally often, round boundaries included. A build runs faster
 * or slower for what ran just before it (measured: the plugin's setup took 9.3 ms after a build with the empty
 * onLoad plugin, 6.2 ms after the others), so no variant may always follow the same one.
 */
const ROUND_ORDERS: Record<number, readonly (readonly number[])[]> = {
  2: [
    [0, 1],
    [1, 0],
  ],
  3: [
    [0, 1, 2],
    [0, 2, 1],
  ],
};

/**
 * Builds each variant once per round, for at least `runs` rounds (whole cycles of ROUND_ORDERS), after one warm-up
 * build each; the first variant is the baseline. Returns each variant's build times, round by round.
 */
async function series(variants: Array<() => Promise<unknown>>, runs: number): Promise<number[][]> {
  const orders = ROUND_ORDERS[variants.length];
  if (!orders) throw new Error(`no round order for ${variants.length} variants`);
  for (const run of variants) await run();
  const times = variants.map((): number[] => []);
  const rounds = Math.ceil(runs / orders.length) * orders.length;
  for (let round = 0; round < rounds; round++) {
    for (const k of orders[round % orders.length] as readonly number[]) {
      const t0 = performance.now();
      await (variants[k] as () => Promise<unknown>)();
      (times[k] as number[])[round] = performance.now() - t0;
    }
  }
  return times;
}

/**
 * The median of the ratios within a round: the two builds ran moments apart, so they share the load of the machine
 * (used by other work too) more closely than medians over the whole series do.
 */
function pairedRatio(times: readonly number[], baseline: readonly number[]): number {
  return median(times.map((ms, round) => ms / (baseline[round] as number)));
}

async function projectRatio(files: number, marked: number, runs: number): Promise<ProjectRow> {
  const markedFiles = new Set<number>();
  for (let k = 0; k < marked; k++) markedFiles.add(Math.floor((k * files) / Math.max(1, marked)));
  // Named by size too: a quick run (30 files) must not rewrite the project a full run is building.
  const entry = writeProject(join(benchTmp, `project-${files}-${marked}`), files, markedFiles);
  const apmWeaver = ((await import(distUrl('plugins/esbuild.js'))) as { default: (o?: object) => Plugin })
    .default;
  const bundle = (plugins: Plugin[]) =>
    build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      external: ['apm-weaver'],
      logLevel: 'silent',
      plugins,
    });
  // A new plugin for every build, as a build script makes it: its setup (the scan) is part of what is measured.
  const withPlugin = () => bundle([apmWeaver({ silent: true })]);
  const check = await withPlugin();
  const text = check.outputFiles[0]?.text ?? '';
  if (marked > 0 && !text.includes('__apm')) throw new Error('the plugin wove nothing in the marked project');
  const [without = [], withTimes = [], noop = []] = await series(
    [() => bundle([]), withPlugin, () => bundle([noopPlugin])],
    runs,
  );
  // The empty onLoad plugin in a series of its own: its thousand calls into JavaScript per build leave garbage and
  // cold caches that slowed whatever JavaScript ran next, which in a shared series is the plugin's setup.
  const [emptyBaseline = [], empty = []] = await series(
    [() => bundle([]), () => bundle([emptyOnLoad])],
    runs,
  );
  return {
    files,
    marked,
    withoutMs: median(without),
    withMs: median(withTimes),
    ratio: pairedRatio(withTimes, without),
    emptyOnLoadMs: median(empty),
    emptyOnLoadRatio: pairedRatio(empty, emptyBaseline),
    noopPluginMs: median(noop),
    noopPluginRatio: pairedRatio(noop, without),
  };
}

export async function measureBuildCost(options: {
  corpusModules: number;
  throughputRuns: number;
  projectFiles: number;
  projectRuns: number;
}): Promise<BuildCostResult> {
  const corpus = throughputCorpus(options.corpusModules);
  return {
    corpusBytes: Buffer.byteLength(corpus),
    throughput: await weaveThroughput(corpus, options.throughputRuns),
    projects: [
      await projectRatio(options.projectFiles, 0, options.projectRuns),
      await projectRatio(options.projectFiles, 10, options.projectRuns),
    ],
  };
}
