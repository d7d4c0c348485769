import * as ts from 'typescript';
import { createWeaveTransformer } from '../../transformer/typescript.js';
import type { FrontEndUnderTest } from '../weave/front-ends.js';

/**
 * The TypeScript front end as the shared behavioural runner (test/weave/) drives it: one fixture file to JavaScript
 * for node with ts.transpileModule, the weaver in `before` when `weave` options are given. `module: preserve` keeps
 * each fixture's module syntax (ESM stays ESM, require stays require); decorators are TypeScript's experimental ones
 * and fields use define semantics, as in the runner's type stripping. The transformer takes its `ts` from the caller,
 * so the same front end runs on any installed TypeScript.
 */
export function typescriptFrontEndFor(tsApi: typeof ts, name: string): FrontEndUnderTest {
  return {
    name,
    compile(source, id, weave) {
      const result = tsApi.transpileModule(source, {
        fileName: id,
        compilerOptions: {
          target: tsApi.ScriptTarget.ES2022,
          module: tsApi.ModuleKind.Preserve,
          experimentalDecorators: true,
          useDefineForClassFields: true,
          jsx: tsApi.JsxEmit.React,
          allowJs: true,
        },
        transformers: weave ? { before: [createWeaveTransformer(tsApi, weave)] } : {},
      });
      return result.outputText;
    },
  };
}

export const typescriptFrontEnd = typescriptFrontEndFor(ts, 'typescript');
