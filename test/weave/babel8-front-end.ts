// Babel 8 (which needs Node >= 22) as a front end of the shared runner: the same plugin, loaded by @babel/core 8
// (installed under the alias babel-core-8), must weave every fixture exactly as it behaves unwoven.
import { type BabelTransformSync, babelFrontEnd } from './babel-front-end.js';
import type { FrontEndUnderTest } from './front-ends.js';

const nodeMajor = Number(process.versions.node.split('.')[0]);

async function loadBabel8(): Promise<BabelTransformSync | undefined> {
  if (nodeMajor < 22) return undefined;
  const babel = (await import('babel-core-8' as string)) as { transformSync: BabelTransformSync };
  return babel.transformSync;
}

/** undefined on Node < 22, where Babel 8 does not run. */
export async function babel8FrontEnd(
  stripTypes: (code: string, id: string) => string,
): Promise<FrontEndUnderTest | undefined> {
  const transformSync = await loadBabel8();
  if (!transformSync) return undefined;
  return babelFrontEnd('babel 8', transformSync, stripTypes);
}
