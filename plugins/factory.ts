import {
  createUnplugin,
  type TransformHookFilter,
  type UnpluginFactory,
  type UnpluginOptions,
} from 'unplugin';
import { WeaveOptionsError } from '../transformer/core/options.js';
import type { WeaveOptions, WeaveWarning } from '../transformer/core/types.js';
import { type WeaveSourceMap, weave } from '../transformer/index.js';
import { isScriptId, transformHookFilter } from './filter.js';
import { checkPluginOptions, type PluginOptions } from './options.js';
import { BuildReport } from './report.js';
import { RuntimeLocation } from './runtime-location.js';

export type { PluginOptions };

/** What every bundler entry shares: the checked options, the build report, and weaving one file. */
export interface PluginWeaver {
  verbose: boolean;
  silent: boolean;
  report: BuildReport;
  /** The weave options as the transformer gets them: the runtime's folder excluded, warnings into the report. */
  weaveOptions: WeaveOptions;
  /** The `{ id, code }` filter of files that may have something to weave; undefined when nothing ever can. */
  filter: TransformHookFilter | undefined;
  /** Woven code and map, or undefined when the file is left as it is (a failure is a warning, not an error). */
  weaveFile(code: string, id: string): { code: string; map: WeaveSourceMap } | undefined;
}

/**
 * Checks the options (a configuration error throws here, before any file is read) and sets up weaving for one
 * plugin instance. Only invalid options fail a build: anything a file does wrong is a warning in the build report
 * and the file is left as it was.
 */
export function createPluginWeaver(rawOptions: PluginOptions | undefined): PluginWeaver {
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
  return {
    verbose,
    silent,
    report,
    weaveOptions,
    filter: transformHookFilter(userWeaveOptions, extraExclude),
    weaveFile(code, id) {
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
}

/**
 * The one plugin behind the unplugin bundler entries (esbuild has its own, plugins/esbuild.ts). It runs before the
 * bundler strips TypeScript (`enforce: 'pre'`), weaves marked and rule-selected functions, and hands back code plus
 * a source map the bundler chains with its own.
 */
export const unpluginFactory: UnpluginFactory<PluginOptions | undefined, false> = (rawOptions) => {
  const weaver = createPluginWeaver(rawOptions);
  const { report, filter } = weaver;
  const plugin: UnpluginOptions = {
    name: 'apm-weaver',
    enforce: 'pre',
    buildStart() {
      report.reset();
    },
    buildEnd() {
      if (!weaver.silent) console.info(report.lines(weaver.verbose).join('\n'));
    },
  };
  if (!filter) return plugin;
  plugin.transform = { filter, handler: (code, id) => weaver.weaveFile(code, id) };
  return plugin;
};

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const unplugin = createUnplugin(unpluginFactory);
