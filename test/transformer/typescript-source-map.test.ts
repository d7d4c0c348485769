import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createWeaveTransformer } from '../../transformer/typescript.js';
import { loadFixtures, readSource } from '../weave/fixtures.js';

/**
 * Source maps through the TypeScript front end: every identifier the plain compilation maps back to the source, the
 * woven compilation maps back to the same line and column; and what it maps lands on that identifier's text.
 */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Preserve,
  experimentalDecorators: true,
  useDefineForClassFields: true,
  allowJs: true,
  sourceMap: true,
};

interface MappedIdentifier {
  text: string;
  line: number;
  column: number;
  /** Written by the weaver (`__apm...`, a generator wrapper's `.apply(this, arguments)`): no source text of its own. */
  woven: boolean;
}

function isWovenToken(text: string, before: string): boolean {
  if (text.startsWith('__apm')) return true;
  if (text === 'apply') return /\}\s*\.\s*$/.test(before) && /function\*/.test(before);
  return text === 'arguments' && /\}\s*\.\s*apply\(this, $/.test(before);
}

function mappedIdentifiers(source: string, fileName: string, weave: boolean): MappedIdentifier[] {
  const transformers = weave
    ? { before: [createWeaveTransformer(ts, { functions: ['**'], onWarning: () => {} })] }
    : {};
  const output = ts.transpileModule(source, { fileName, compilerOptions: COMPILER_OPTIONS, transformers });
  const map = new TraceMap(JSON.parse(output.sourceMapText ?? '{}'));
  const outputFile = ts.createSourceFile('out.js', output.outputText, ts.ScriptTarget.ES2022);
  const found: MappedIdentifier[] = [];
  const scanner = ts.createScanner(
    ts.ScriptTarget.ES2022,
    true,
    ts.LanguageVariant.Standard,
    output.outputText,
  );
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token !== ts.SyntaxKind.Identifier) continue;
    const offset = scanner.getTokenStart();
    const { line, character } = outputFile.getLineAndCharacterOfPosition(offset);
    const original = originalPositionFor(map, { line: line + 1, column: character });
    if (original.line === null || original.column === null) continue;
    const text = scanner.getTokenText();
    const woven = weave && isWovenToken(text, output.outputText.slice(0, offset));
    found.push({ text, line: original.line, column: original.column, woven });
  }
  return found;
}

function textAt(source: string, line: number, column: number, length: number): string {
  return (source.split('\n')[line - 1] ?? '').slice(column, column + length);
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FILES: Array<[string, string, string]> = [
  ...loadFixtures().flatMap((f) =>
    f.files.map((file): [string, string, string] => [`${f.name}/${file}`, file, readSource(f, file)]),
  ),
  ...readdirSync(join(ROOT, 'fixtures/tspc/project/src')).map((file): [string, string, string] => [
    `tspc/${file}`,
    file,
    readFileSync(join(ROOT, 'fixtures/tspc/project/src', file), 'utf8'),
  ]),
];

describe('source maps of woven TypeScript output', () => {
  for (const [name, fileName, source] of FILES) {
    it(name, () => {
      const key = (m: MappedIdentifier) => `${m.text}@${m.line}:${m.column}`;
      const woven = mappedIdentifiers(source, fileName, true);
      const wovenKeys = new Set(woven.map(key));
      const lost = mappedIdentifiers(source, fileName, false).filter((m) => !wovenKeys.has(key(m)));
      expect(lost, 'identifiers the plain compilation maps and the woven one does not').toEqual([]);
      const wrong = woven.filter(
        (m) => !m.woven && textAt(source, m.line, m.column, m.text.length) !== m.text,
      );
      const wrongPlain = mappedIdentifiers(source, fileName, false).filter(
        (m) => textAt(source, m.line, m.column, m.text.length) !== m.text,
      );
      // TypeScript maps a few synthesized identifiers to their construct's start; weaving adds no such case.
      expect(wrong.length, JSON.stringify(wrong)).toBeLessThanOrEqual(wrongPlain.length);
    });
  }
});
