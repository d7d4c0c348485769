import {
  createUnplugin,
  type UnpluginBuildContext,
  type UnpluginContext,
  type UnpluginFactory,
  type UnpluginOptions,
} from 'unplugin';
import type { WeaveWarning } from '../transformer/core/types.js';
import { formatWarning } from '../transformer/core/warnings.js';
import type { PluginOptions } from './options.js';
import { createPluginWeaver } from './weaver.js';

export type { PluginOptions };

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
  plugin.transform = {
    filter,
    handler(this: UnpluginBuildContext & UnpluginContext, code, id) {
      return weaver.weaveFile(code, id, (warning) => this.warn(bundlerWarning(warning)));
    },
  };
  return plugin;
};

/**
 * A warning as the bundlers take it. The text carries file:line:column itself: Rollup and Vite also show `loc`, but
 * webpack and Rspack show only the text (under the module's name).
 */
function bundlerWarning(warning: WeaveWarning) {
  return {
    message: formatWarning(warning),
    id: warning.file,
    loc: { file: warning.file, line: warning.line, column: warning.column },
  };
}

export const unplugin = createUnplugin(unpluginFactory);
