// Static properties on every fixture file: exact source maps, idempotence (weaving woven code changes nothing),
// untouched files come back as nothing, for the magic-string front end and the Babel plugin.
import { join } from 'node:path';
import { transformSync } from '@babel/core';
import { type ParserPlugin, parse } from '@babel/parser';
import { generatedPositionFor, originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { describe, expect, it } from 'vitest';
import { parserPluginSets } from '../../transformer/babel/parse.js';
import apmWeaverBabelPlugin from '../../transformer/babel.js';
import type { WeaveOptions } from '../../transformer/core/types.js';
import { weave } from '../../transformer/index.js';
import { type Fixture, loadFixtures, readSource } from './fixtures.js';

const fixtures = loadFixtures();
const quiet = (fixture: Fixture): WeaveOptions => ({ ...fixture.spec.options, onWarning: () => {} });

interface Token {
  line: number;
  column: number;
  text: string;
}

function tokensOf(code: string, id: string): Token[] {
  const ast = parse(code, {
    sourceType: 'unambiguous',
    plugins: (parserPluginSets(id)[0] ?? []) as ParserPlugin[],
    tokens: true,
    allowReturnOutsideFunction: true,
  });
  return (ast.tokens ?? [])
    .filter((token) => token.end > token.start)
    .map((token) => ({
      line: token.loc.start.line,
      column: token.loc.start.column,
      // Multi-line tokens (block comments, template chunks) are compared on their first line.
      text: code.slice(token.start, token.end).split('\n')[0] ?? '',
    }));
}

function babelPass(code: string, id: string, options: WeaveOptions | undefined): string {
  return (
    transformSync(code, {
      filename: id,
      babelrc: false,
      configFile: false,
      sourceType: 'unambiguous',
      parserOpts: { plugins: (parserPluginSets(id)[0] ?? []) as ParserPlugin[] },
      plugins: options ? [[apmWeaverBabelPlugin, options]] : [],
    })?.code ?? ''
  );
}

const cases = fixtures.flatMap((fixture) =>
  fixture.files.map((file) => [`${fixture.name}/${file}`, fixture, file] as const),
);

describe('every fixture file', () => {
  it.each(cases)(
    '%s: exact source map, idempotent, untouched when nothing is woven',
    (_label, fixture, file) => {
      const id = join(fixture.dir, file);
      const source = readSource(fixture, file);
      const result = weave(source, id, quiet(fixture));
      const everything = weave(source, id, { ...quiet(fixture), functions: ['**'] });
      if (everything) expect(() => tokensOf(everything.code, id)).not.toThrow();
      if (fixture.spec.untouched) expect(result).toBeUndefined();

      if (result === undefined) {
        // Untouched through Babel too: the plugin changes nothing.
        expect(babelPass(source, id, quiet(fixture))).toBe(babelPass(source, id, undefined));
        return;
      }

      // Every original token is in the woven output where the map says, and maps back to its own line and column.
      // Never invalid output: the woven file parses.
      expect(() => tokensOf(result.code, id)).not.toThrow();
      const map = new TraceMap(result.map as never);
      const wovenLines = result.code.split('\n');
      for (const token of tokensOf(source, id)) {
        const generated = generatedPositionFor(map, { source: id, line: token.line, column: token.column });
        const at = `${token.text} at ${token.line}:${token.column} -> ${generated.line}:${generated.column}`;
        expect(generated.line, at).not.toBeNull();
        const text = wovenLines[(generated.line ?? 0) - 1]?.slice(
          generated.column ?? 0,
          (generated.column ?? 0) + token.text.length,
        );
        expect(text, at).toBe(token.text);
        const back = originalPositionFor(map, { line: generated.line ?? 0, column: generated.column ?? 0 });
        expect([back.line, back.column], at).toEqual([token.line, token.column]);
      }

      // Weaving woven code changes nothing, with any front end.
      expect(weave(result.code, id, quiet(fixture))).toBeUndefined();
      expect(weave(result.code, id, { functions: ['**'], onWarning: () => {} })).toBeUndefined();
      const babelWoven = babelPass(source, id, quiet(fixture));
      expect(babelPass(babelWoven, id, quiet(fixture))).toBe(babelPass(babelWoven, id, undefined));
    },
  );

  it('weaves something in every fixture that is not marked untouched', () => {
    const wovenSomewhere = (fixture: Fixture) =>
      fixture.files.some(
        (file) => weave(readSource(fixture, file), join(fixture.dir, file), quiet(fixture)) !== undefined,
      );
    expect(fixtures.filter((f) => !f.spec.untouched && !wovenSomewhere(f)).map((f) => f.name)).toEqual([]);
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
  });
});
