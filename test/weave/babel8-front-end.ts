// Babel 8 (which needs Node >= 22) as a front end of the shared runner: the same plugin, loaded by @babel/core 8
// (installed under the alias babel-core-8), must weave every fixture exactly as it behaves unwoven.
import type { ParserPlugin } from '@babel/parser';
import { parserPluginSets } from '../../transformer/babel/parse.js';
import apmWeaverBabelPlugin from '../../transformer/babel.js';
import type { FrontEndUnderTest } from './front-ends.js';

type TransformSync = (code: string, options: object) => { code?: string | null } | null;

const nodeMajor = Number(process.versions.node.split('.')[0]);

async function loadBabel8(): Promise<TransformSync | undefined> {
  if (nodeMajor < 22) return undefined;
  const babel = (await import('babel-core-8' as string)) as { transformSync: TransformSync };
  return babel.transformSync;
}

/** undefined on Node < 22, where Babel 8 does not run. */
export async function babel8FrontEnd(
  stripTypes: (code: string, id: string) => string,
): Promise<FrontEndUnderTest | undefined> {
  const transformSync = await loadBabel8();
  if (!transformSync) return undefined;
  return {
    name: 'babel 8',
    compile(source, id, options) {
      const output = transformSync(source, {
        filename: id,
        babelrc: false,
        configFile: false,
        sourceType: 'unambiguous',
        retainLines: true,
        parserOpts: { plugins: (parserPluginSets(id)[0] ?? []) as ParserPlugin[] },
        plugins: options ? [[apmWeaverBabelPlugin, options]] : [],
      });
      return stripTypes(output?.code ?? source, id);
    },
  };
}
