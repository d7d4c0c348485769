// TypeScript 6 (installed under the alias typescript-6) as a front end of the shared runner: the transformer takes
// its `ts` from the caller, so the same code must weave every fixture through TypeScript 6's API as through 5.9's.
import type * as TS from 'typescript';
import { createWeaveTransformer } from '../../transformer/typescript.js';
import type { FrontEndUnderTest } from './front-ends.js';

const ts = (await import('typescript-6' as string)).default as typeof TS;

export const typescript6FrontEnd: FrontEndUnderTest = {
  name: `typescript ${ts.version}`,
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
