// The Babel plugin as a front end of the shared runner, for whichever @babel/core loads it (7, or 8 under an alias):
// a Babel pass that only parses and prints (types kept) with the plugin when `weave` options are given, then the
// runner's shared type stripping.
import type { ParserPlugin } from '@babel/parser';
import { parserPluginSets } from '../../transformer/babel/parse.js';
import apmWeaverBabelPlugin from '../../transformer/babel.js';
import type { FrontEndUnderTest } from './front-ends.js';

/** `transformSync` of @babel/core, as much of it as the runner uses (the same in Babel 7 and 8). */
export type BabelTransformSync = (code: string, options: object) => { code?: string | null } | null;

export function babelFrontEnd(
  name: string,
  transformSync: BabelTransformSync,
  stripTypes: (code: string, id: string) => string,
): FrontEndUnderTest {
  return {
    name,
    compile(source, id, options) {
      const output = transformSync(source, {
        filename: id,
        babelrc: false,
        configFile: false,
        compact: false,
        sourceType: 'unambiguous',
        retainLines: true,
        parserOpts: { plugins: (parserPluginSets(id)[0] ?? []) as ParserPlugin[] },
        plugins: options ? [[apmWeaverBabelPlugin, options]] : [],
      });
      return stripTypes(output?.code ?? source, id);
    },
  };
}
