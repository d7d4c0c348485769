import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { weave } from '../../transformer/index.js';
import { createWeaveTransformer } from '../../transformer/typescript.js';
import { loadFixtures, readSource } from '../weave/fixtures.js';

/**
 * "Every front end emits the same shape; only formatting differs": for every fixture file, the magic-string output
 * (compiled by TypeScript afterwards, as a build would) and the TypeScript front end's output (weaving inside the same
 * compilation) must be the same token for token. A file one front end leaves untouched, the other leaves untouched.
 */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Preserve,
  experimentalDecorators: true,
  useDefineForClassFields: true,
  allowJs: true,
};

function compile(
  code: string,
  fileName: string,
  before: ts.TransformerFactory<ts.SourceFile>[] = [],
): string {
  return ts.transpileModule(code, { fileName, compilerOptions: COMPILER_OPTIONS, transformers: { before } })
    .outputText;
}

/** The code's tokens, whitespace and comments dropped (template literals scanned as such). */
function tokens(code: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, code);
  const found: string[] = [];
  const open: Array<'brace' | 'template'> = [];
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.TemplateHead) open.push('template');
    else if (token === ts.SyntaxKind.OpenBraceToken) open.push('brace');
    else if (token === ts.SyntaxKind.CloseBraceToken && open.at(-1) === 'template') {
      if (scanner.reScanTemplateToken(false) === ts.SyntaxKind.TemplateTail) open.pop();
    } else if (token === ts.SyntaxKind.CloseBraceToken) open.pop();
    found.push(scanner.getTokenText());
  }
  return found;
}

describe('the TypeScript front end emits what the magic-string front end emits', () => {
  for (const fixture of loadFixtures()) {
    for (const file of fixture.files) {
      it(`${fixture.name}/${file}`, () => {
        const source = readSource(fixture, file);
        const options = { ...fixture.spec.options, onWarning: () => {} };
        const textual = weave(source, file, options);
        const parsed = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
        const transformed = ts.transform(parsed, [createWeaveTransformer(ts, options)], COMPILER_OPTIONS);
        expect(transformed.transformed[0] === parsed, 'untouched by both or by neither').toBe(
          textual === undefined,
        );
        transformed.dispose();
        if (!textual) return;
        const viaMagicString = compile(textual.code, file);
        const viaTypeScript = compile(source, file, [createWeaveTransformer(ts, options)]);
        expect(tokens(viaTypeScript).join(' ')).toBe(tokens(viaMagicString).join(' '));
      });
    }
  }
});
