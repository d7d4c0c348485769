import { readFile } from 'node:fs/promises';
import { dirname, extname, relative, sep } from 'node:path';
import type { Loader, OnLoadArgs, OnLoadResult, PartialMessage, Plugin, PluginBuild } from 'esbuild';
import { reachableFilter } from './esbuild-filter.js';
import { entryFolders, SourceScan } from './esbuild-scan.js';
import { weavingTest } from './esbuild-weaving-test.js';
import { SCRIPT_ID_RE } from './filter.js';
import type { PluginOptions } from './options.js';
import { withInlineSourceMap } from './source-map-comment.js';
import { createPluginWeaver, type PluginWeaver } from './weaver.js';

export type { PluginOptions };

const LOADER_BY_EXTENSION: Record<string, Loader> = {
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
};

/**
 * A first build that starts this soon after the scan sees the files the scan saw; a later one (an esbuild context
 * built again, or first built long after it was created) checks what changed since.
 */
const FRESH_SCAN_MS = 1000;

/**
 * With more candidates than this the filter lists none and lets every script through: most files have something to
 * weave then, so there is little to save, and a regex of thousands of paths costs esbuild time of its own to compile.
 */
const MAX_LISTED_CANDIDATES = 2000;

/**
 * `import apmWeaver from 'apm-weaver/esbuild'`; options are `WeaveOptions` plus `verbose` / `silent`.
 *
 * esbuild calls into JS for every file an onLoad filter matches, and that round trip alone costs more than the rest
 * of loading a small file. So the plugin scans the entry points' folders first (one read per script file, a string
 * search, no parse) and its filter matches only the files there with something to weave, plus everything outside
 * them, which the plugin judges as it loads them.
 *
 * esbuild fixes a plugin's filters when the build or context is set up. In a context built again (watch, serve,
 * rebuild), a file in those folders that had nothing to weave at setup and gains a marker, or a new file with one,
 * is out of the filter's reach: each build lists such files as warnings in its report ("recreate the context").
 * `scan: false` turns the scan off: every script reaches the plugin, as in every other bundler.
 */
export default function apmWeaver(options?: PluginOptions): Plugin {
  const weaver = createPluginWeaver(options);
  return {
    name: 'apm-weaver',
    setup(build) {
      const { report } = weaver;
      build.onStart(() => {
        report.reset();
      });
      if (weaver.filter) {
        const loaders = { ...build.initialOptions.loader };
        const loaderFor = (path: string): Loader => {
          const extension = extname(path).toLowerCase();
          return (loaders[extension] ?? LOADER_BY_EXTENSION[extension] ?? 'js') as Loader;
        };
        // Without source maps esbuild would only parse the woven file's map to throw it away.
        const withMap = Boolean(build.initialOptions.sourcemap);
        const scan = options?.scan === false ? undefined : scanEntryFolders(weaver, build);
        const filter = scan ? reachableFilter(scan.reachable) : SCRIPT_ID_RE;
        build.onLoad({ filter, namespace: 'file' }, (args) => load(weaver, args, loaderFor, withMap));
        if (scan) reportUnreachable(weaver, build, scan);
      }
      // After the callbacks above: esbuild runs onEnd callbacks one after the other, in order.
      build.onEnd(() => {
        if (!weaver.silent) console.info(report.lines(weaver.verbose).join('\n'));
      });
    },
  };
}

/** The scan of the entry folders, or undefined when every file must reach the plugin anyway. */
function scanEntryFolders(weaver: PluginWeaver, build: PluginBuild): SourceScan | undefined {
  const test = weavingTest(weaver.weaveOptions);
  if (!test) return undefined;
  const { entryPoints, absWorkingDir } = build.initialOptions;
  const roots = entryFolders(entryPoints, absWorkingDir ?? process.cwd());
  if (roots.length === 0) return undefined;
  const scan = new SourceScan(roots, test, weaver.weaveOptions.include === undefined);
  return scan.candidateCount <= MAX_LISTED_CANDIDATES ? scan : undefined;
}

async function load(
  weaver: PluginWeaver,
  args: OnLoadArgs,
  loaderFor: (path: string) => Loader,
  withMap: boolean,
): Promise<OnLoadResult | undefined> {
  const id = args.path + (args.suffix ?? '');
  // Outside the scanned folders the filter lets any file through; an import with attributes (`with { type: 'text' }`)
  // wants the file as something other than code.
  if (!SCRIPT_ID_RE.test(args.path) || Object.keys(args.with ?? {}).length > 0) return undefined;
  let code: string;
  try {
    code = await readFile(args.path, 'utf8');
  } catch {
    return undefined; // esbuild reports the missing file itself
  }
  // The file's warnings also go into the build's result (esbuild prints them with their place, and tools read them).
  const warnings: PartialMessage[] = [];
  const woven = await weaver.weaveFile(code, id, (warning) => {
    warnings.push({
      text: warning.message,
      location: { file: warning.file, line: warning.line, column: warning.column },
    });
  });
  // Warnings and no contents: esbuild loads the file itself, as without the plugin, and keeps the warnings.
  if (!woven) return warnings.length > 0 ? { warnings } : undefined;
  return {
    contents: withMap ? withInlineSourceMap(woven.code, woven.map) : woven.code,
    loader: loaderFor(args.path),
    resolveDir: dirname(args.path),
    warnings,
  };
}

/**
 * Each build after the first checks, while esbuild works, which files in the scanned folders now need weaving but
 * are out of the filter's reach, and lists them as warnings in that build's report.
 */
function reportUnreachable(weaver: PluginWeaver, build: PluginBuild, scan: SourceScan): void {
  const scannedAt = Date.now();
  const workingDir = build.initialOptions.absWorkingDir ?? process.cwd();
  let builds = 0;
  let check: Promise<string[]> = Promise.resolve([]);
  build.onStart(() => {
    builds++;
    if (builds === 1 && Date.now() - scannedAt < FRESH_SCAN_MS) return;
    // Not awaited: the build goes on meanwhile; onEnd waits for the answer.
    check = new Promise((resolve) => setImmediate(() => resolve(scan.unreachableCandidates())));
  });
  build.onEnd(async (result) => {
    // With a metafile the build says which files it took in; without, any file in the folders may be one of them.
    const inputs = result.metafile?.inputs;
    for (const file of await check) {
      if (inputs && !(relative(workingDir, file).split(sep).join('/') in inputs)) continue;
      weaver.weaveOptions.onWarning?.({
        file,
        line: 1,
        column: 0,
        message:
          `not woven${inputs ? '' : ' if this build includes it'}: it has had something to weave only since this ` +
          'esbuild context was created, and esbuild asks the plugin only about the files that had something then; ' +
          'create the context again to weave it (or set the plugin option scan: false while watching)',
      });
    }
    check = Promise.resolve([]);
  });
}
