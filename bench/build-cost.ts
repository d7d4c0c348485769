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
  /** With a plugin whose onLoad does nothing at all: the floor for any plugin that must see every file. */
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

/** Builds of one project, each variant once per round; see projectRatio for the order. */
interface BuildVariant {
  name: 'without' | 'with' | 'emptyOnLoad' | 'noopPlugin';
  run: () => Promise<unknown>;
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
  const variants: BuildVariant[] = [
    { name: 'without', run: () => bundle([]) },
    { name: 'with', run: withPlugin },
    { name: 'emptyOnLoad', run: () => bundle([emptyOnLoad]) },
    { name: 'noopPlugin', run: () => bundle([noopPlugin]) },
  ];
  for (const variant of variants) await variant.run();
  const times: Record<BuildVariant['name'], number[]> = {
    without: [],
    with: [],
    emptyOnLoad: [],
    noopPlugin: [],
  };
  // Whole rounds, so that every variant takes every place in the order equally often.
  const rounds = Math.ceil(runs / variants.length) * variants.length;
  for (let round = 0; round < rounds; round++) {
    // Each round starts one variant further on: no variant always runs first, or always right after the same one
    // (the esbuild service and the machine carry state from one build to the next).
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(round + k) % variants.length] as BuildVariant;
      const t0 = performance.now();
      await variant.run();
      times[variant.name].push(performance.now() - t0);
    }
  }
  // Each ratio is the median of the ratios within a round: the two builds ran moments apart, so they share the
  // load of the machine (used by other work too) more closely than medians over the whole run do.
  const ratioTo = (name: BuildVariant['name']) =>
    median(times[name].map((ms, round) => ms / (times.without[round] as number)));
  return {
    files,
    marked,
    withoutMs: median(times.without),
    withMs: median(times.with),
    ratio: ratioTo('with'),
    emptyOnLoadMs: median(times.emptyOnLoad),
    emptyOnLoadRatio: ratioTo('emptyOnLoad'),
    noopPluginMs: median(times.noopPlugin),
    noopPluginRatio: ratioTo('noopPlugin'),
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
