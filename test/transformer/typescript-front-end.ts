import * as ts from 'typescript';
import type { WeaveOptions } from '../../transformer/core/types.js';
import { createWeaveTransformer } from '../../transformer/typescript.js';
import type { FrontEndUnderTest } from '../weave/front-ends.js';

/**
 * The TypeScript front end as the shared behavioural runner (test/weave/) drives it: one fixture file to JavaScript
 * for node with ts.transpileModule, the weaver in `before` when `weave` options are given. `module: preserve` keeps
 * each fixture's module syntax (ESM stays ESM, require stays require); decorators are TypeScript's experimental ones
 * and fields use define semantics, as in the runner's type stripping.
 */
export const typescriptFrontEnd: FrontEndUnderTest = {
  name: 'typescript',
  compile(source, id, weave) {
    const result = ts.transpileModule(source, {
      fileName: id,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.Preserve,
        experimentalDecorators: true,
        useDefineForClassFields: true,
        jsx: ts.JsxEmit.React,
        allowJs: true,
      },
      transformers: weave ? { before: [createWeaveTransformer(ts, weave)] } : {},
    });
    return result.outputText;
  },
};

/**
 * The TypeScript front end for the real-world check (test/weave/real-world.ts): one library file woven inside a
 * transpileModule compilation that keeps its module syntax; undefined when nothing in it was woven.
 */
export function weaveLibraryFileWithTypeScript(
  code: string,
  path: string,
  options: WeaveOptions,
): { code: string; count: number } | undefined {
  const output = ts.transpileModule(code, {
    fileName: path,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Preserve, allowJs: true },
    transformers: { before: [createWeaveTransformer(ts, options)] },
  }).outputText;
  const count = output.match(/\bvar __apm\w*S\d+ = /g)?.length ?? 0;
  return count > 0 ? { code: output, count } : undefined;
}
