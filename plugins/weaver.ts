import type { TransformHookFilter } from 'unplugin';
import { WeaveOptionsError } from '../transformer/core/options.js';
import type { WeaveOptions, WeaveWarning } from '../transformer/core/types.js';
import type { WeaveSourceMap } from '../transformer/index.js';
import { isScriptId, transformHookFilter } from './filter.js';
import { checkPluginOptions, type PluginOptions } from './options.js';
import { BuildReport } from './report.js';
import { RuntimeLocation } from './runtime-location.js';

/** What every bundler entry shares: the checked options, the build report, and weaving one file. */
export interface PluginWeaver {
  verbose: boolean;
  silent: boolean;
  report: BuildReport;
  /** The weave options as the transformer gets them: the runtime's folder excluded, warnings into the report. */
  weaveOptions: WeaveOptions;
  /** The `{ id, code }` filter of files that may have something to weave; undefined when nothing ever can. */
  filter: TransformHookFilter | undefined;
  /**
   * Woven code and map, or undefined when the file is left as it is (a failure is a warning, not an error). The
   * file's warnings go to the report and to `onWarning`, and also to `warnBundler`: the bundler's own warning channel
   * (Rollup's onwarn, webpack's stats, esbuild's result), where build tools and CI look for them.
   */
  weaveFile(
    code: string,
    id: string,
    warnBundler?: (warning: WeaveWarning) => void,
  ): Promise<{ code: string; map: WeaveSourceMap } | undefined>;
}

type Transformer = typeof import('../transformer/index.js');
let transformer: Promise<Transformer> | undefined;

/**
 * The transformer (Babel's parser and the weaving passes) is loaded when a file first needs weaving: it takes
 * about as long to load as esbuild takes to bundle a thousand files, and a build with nothing to weave never does.
 */
function loadTransformer(): Promise<Transformer> {
  transformer ??= import('../transformer/index.js');
  return transformer;
}

/**
 * Checks the options (a configuration error throws here, before any file is read) and sets up weaving for one
 * plugin instance. Only invalid options fail a build: anything a file does wrong is a warning in the build report
 * and the file is left as it was.
 */
export function createPluginWeaver(rawOptions: PluginOptions | undefined): PluginWeaver {
  const { weave: userWeaveOptions, verbose, silent } = checkPluginOptions(rawOptions);
  const report = new BuildReport();
  const runtime = new RuntimeLocation(userWeaveOptions.runtime ?? 'apm-weaver', process.cwd(), true);
  const runtimeGlob = runtime.excludeGlob();
  const extraExclude = runtimeGlob ? [runtimeGlob] : [];
  // weave() is synchronous: while it runs, this is the bundler channel of the file it weaves.
  let warnBundlerNow: ((warning: WeaveWarning) => void) | undefined;
  const weaveOptions: WeaveOptions = {
    ...userWeaveOptions,
    exclude: [...(userWeaveOptions.exclude ?? []), ...extraExclude],
    onWarning: (warning: WeaveWarning) => {
      report.addWarning(warning);
      userWeaveOptions.onWarning?.(warning);
      warnBundlerNow?.(warning);
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
    async weaveFile(code, id, warnBundler) {
      if (!isScriptId(id)) return undefined;
      const { weave } = await loadTransformer();
      warnBundlerNow = warnBundler;
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
      } finally {
        warnBundlerNow = undefined;
      }
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
