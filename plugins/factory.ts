import { extname } from 'node:path';
import { createUnplugin, type UnpluginFactory, type UnpluginOptions } from 'unplugin';
import { WeaveOptionsError } from '../transformer/core/options.js';
import type { WeaveOptions, WeaveWarning } from '../transformer/core/types.js';
import { weave } from '../transformer/index.js';
import { ESBUILD_ONLOAD_FILTER, isScriptId, transformHookFilter } from './filter.js';
import { checkPluginOptions, type PluginOptions } from './options.js';
import { BuildReport } from './report.js';
import { RuntimeLocation } from './runtime-location.js';

export type { PluginOptions };

type EsbuildLoader = 'js' | 'jsx' | 'ts' | 'tsx';
const LOADER_BY_EXTENSION: Record<string, EsbuildLoader> = {
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
 * The one plugin behind every bundler entry. It runs before the bundler strips TypeScript (`enforce: 'pre'`; esbuild
 * sees the raw file in onLoad), weaves marked and rule-selected functions, and hands back code plus a source map the
 * bundler chains with its own. Only invalid options fail a build: anything a file does wrong is a warning in the
 * build report and the file is left as it was.
 */
export const unpluginFactory: UnpluginFactory<PluginOptions | undefined, false> = (rawOptions) => {
  const { weave: userWeaveOptions, verbose, silent } = checkPluginOptions(rawOptions);
  const report = new BuildReport();
  const runtime = new RuntimeLocation(userWeaveOptions.runtime ?? 'apm-weaver');
  const runtimeGlob = runtime.excludeGlob();
  const extraExclude = runtimeGlob ? [runtimeGlob] : [];
  const weaveOptions: WeaveOptions = {
    ...userWeaveOptions,
    exclude: [...(userWeaveOptions.exclude ?? []), ...extraExclude],
    onWarning: (warning: WeaveWarning) => {
      report.addWarning(warning);
      userWeaveOptions.onWarning?.(warning);
    },
  };
  const filter = transformHookFilter(userWeaveOptions, extraExclude);
  // One options object per runtime specifier, so the transformer compiles the globs once for each.
  const optionsByRuntime = new Map<string, WeaveOptions>();
  const optionsFor = (id: string): WeaveOptions => {
    const specifier = runtime.specifierFor(id);
    if (specifier === runtime.specifier) return weaveOptions;
    let options = optionsByRuntime.get(specifier);
    if (!options) {
      options = { ...weaveOptions, runtime: specifier };
      optionsByRuntime.set(specifier, options);
    }
    return options;
  };
  // The loaders the user configured for esbuild, so a `.js` file meant as JSX keeps its loader after we touch it.
  let esbuildLoaders: Record<string, string> = {};

  const plugin: UnpluginOptions = {
    name: 'apm-weaver',
    enforce: 'pre',
    buildStart() {
      report.reset();
    },
    buildEnd() {
      if (!silent) console.info(report.lines(verbose).join('\n'));
    },
    esbuild: {
      onLoadFilter: ESBUILD_ONLOAD_FILTER,
      config(initialOptions) {
        esbuildLoaders = { ...(initialOptions.loader ?? {}) };
      },
      loader: (_code, id) => {
        const extension = extname(id.replace(/\?.*$/, '')).toLowerCase();
        return (esbuildLoaders[extension] ?? LOADER_BY_EXTENSION[extension] ?? 'js') as EsbuildLoader;
      },
    },
  };
  if (!filter) return plugin;

  plugin.transform = {
    filter,
    handler(code, id) {
      if (!isScriptId(id)) return undefined;
      try {
        const result = weave(code, id, optionsFor(id));
        if (!result) return undefined;
        report.addWoven(id, result.woven);
        return { code: result.code, map: result.map };
      } catch (error) {
        if (error instanceof WeaveOptionsError) throw error;
        // A file we cannot weave still builds: the bundler reports real syntax errors itself.
        weaveOptions.onWarning?.({ file: id, line: 1, column: 0, message: `not woven: ${describe(error)}` });
        return undefined;
      }
    },
  };
  return plugin;
};

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const unplugin = createUnplugin(unpluginFactory);
