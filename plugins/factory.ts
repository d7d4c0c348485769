import { createUnplugin, type UnpluginFactory, type UnpluginOptions } from 'unplugin';
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
  plugin.transform = { filter, handler: (code, id) => weaver.weaveFile(code, id) };
  return plugin;
};

export const unplugin = createUnplugin(unpluginFactory);
