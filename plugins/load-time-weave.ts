import { WeaveOptionsError } from '../transformer/core/options.js';
import type { WeaveOptions, WeaveWarning } from '../transformer/core/types.js';
import { formatWarning } from '../transformer/core/warnings.js';
import { weave } from '../transformer/index.js';
import { isScriptId } from './filter.js';
import { checkPluginOptions } from './options.js';
import type { RegisterOptions } from './register-options.js';
import { RuntimeLocation } from './runtime-location.js';
import { readInputSourceMap, withInlineSourceMap } from './source-map-comment.js';

/** Weaves one module's source as Node loads it; shared by the ESM hooks thread and the CommonJS loader. */
export type LoadTimeWeaver = (code: string, filename: string) => string;

/**
 * Builds the weaver for `--import apm-weaver/register`. Warnings go to stderr, one line each, unless `silent`;
 * `verbose` adds a line per woven file. Whatever goes wrong in a file, Node gets the original code back.
 */
export function createLoadTimeWeaver(registerOptions: RegisterOptions): LoadTimeWeaver {
  const { weave: userOptions, verbose, silent } = checkPluginOptions(registerOptions);
  const runtime = new RuntimeLocation(userOptions.runtime ?? 'apm-weaver');
  const runtimeGlob = runtime.excludeGlob();
  const warn = (warning: WeaveWarning) => {
    if (!silent) process.stderr.write(`[apm-weaver] ${formatWarning(warning)}\n`);
  };
  const baseOptions: WeaveOptions = {
    ...userOptions,
    exclude: [...(userOptions.exclude ?? []), ...(runtimeGlob ? [runtimeGlob] : [])],
    onWarning: warn,
  };
  return (code, filename) => {
    if (!isScriptId(filename)) return code;
    try {
      const inputMap = readInputSourceMap(code, filename);
      const specifier = runtime.specifierFor(filename);
      const options =
        inputMap || specifier !== runtime.specifier
          ? { ...baseOptions, runtime: specifier, inputMap }
          : baseOptions;
      const result = weave(code, filename, options);
      if (!result) return code;
      if (verbose && !silent) {
        process.stderr.write(`[apm-weaver] ${filename}: ${result.woven.join(', ')}\n`);
      }
      return withInlineSourceMap(result.code, result.map);
    } catch (error) {
      if (error instanceof WeaveOptionsError) throw error;
      warn({
        file: filename,
        line: 1,
        column: 0,
        message: `not woven, loaded as written: ${describe(error)}`,
      });
      return code;
    }
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
