import { transformSync } from '@babel/core';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { describe, expect, it } from 'vitest';
import apmWeaverBabelPlugin from '../../transformer/babel.js';
import type { WeaveOptions, WeaveWarning } from '../../transformer/core/types.js';
import { weave } from '../../transformer/index.js';

function babel(code: string, filename: string, options: WeaveOptions | undefined, presets: string[] = []) {
  return transformSync(code, {
    filename,
    babelrc: false,
    configFile: false,
    presets,
    plugins: options ? [[apmWeaverBabelPlugin, options]] : [],
  })?.code;
}

describe('Babel plugin', () => {
  it('keeps the runtime import through @babel/preset-typescript import elision', () => {
    const code = 'import type { T } from "./t";\n// @apm-span\nexport function f(a: T): T { return a; }';
    const out = babel(code, '/src/a.ts', {}, ['@babel/preset-typescript']) ?? '';
    expect(out).toContain('import { defineSpan as __apmDefine, wovenCall as __apmCall } from "apm-weaver";');
    expect(out).not.toContain('./t');
    expect(out).toContain('return __apmCall(__apmS0, () => {');
  });

  it('weaves the same functions with the same specs as the magic-string front end', () => {
    const code = [
      '"use strict";',
      'const { x } = require("x");',
      '// @apm-span name="charge" type=db.sql leaf label.team=pay',
      'async function charge(a) { return a; }',
      'class C { /* @apm-span */ *g() { yield 1; } static async *h() {} }',
      'module.exports = { charge, C };',
    ].join('\n');
    const options = { functions: ['C.h'] };
    const out = babel(code, '/src/a.js', options) ?? '';
    expect(out.startsWith('"use strict";\n\nvar {\n  defineSpan: __apmDefine,')).toBe(true);
    expect(out).toContain('require("apm-weaver")');
    for (const line of (weave(code, '/src/a.js', options)?.code ?? '')
      .split('\n')
      .filter((l) => l.startsWith('var __apmS'))) {
      const [name] = line.split(' = ');
      expect(out).toContain(`${name} = __apmDefine(`);
    }
    expect(out).toContain(
      '__apmDefine("charge", "db.sql", {\n  leaf: true,\n  labels: {\n    team: "pay"\n  }\n})',
    );
    expect(out).toContain(
      [
        '  const __apmB0$charge = async () => {',
        '    return a;',
        '  };',
        '  return __apmAsync(__apmS0, __apmB0$charge);',
      ].join('\n'),
    );
    expect(out).toContain('return yield* __apmGen(__apmS1, function* () {');
    expect(out).toContain(
      'return yield* __apmAsyncGen(__apmS2, async function* () {}.apply(this, arguments));',
    );
  });

  it('reports warnings through onWarning and leaves the file when nothing is woven', () => {
    const warnings: WeaveWarning[] = [];
    const code = '// @apm-span\nconst x = 1;';
    expect(babel(code, '/src/a.js', { onWarning: (w) => warnings.push(w) })).toBe(
      babel(code, '/src/a.js', undefined),
    );
    expect(warnings.map((w) => [w.file, w.line, w.column])).toEqual([['/src/a.js', 1, 0]]);
  });

  it('keeps the original positions of the body in Babel source maps', () => {
    const code =
      'class Cart {\n  // @apm-span\n  total(items) {\n    return items.reduce((a, b) => a + b.price, 0);\n  }\n}\n';
    const out = transformSync(code, {
      filename: '/src/cart.js',
      babelrc: false,
      configFile: false,
      sourceMaps: true,
      plugins: [[apmWeaverBabelPlugin, {}]],
    });
    const map = new TraceMap(out?.map as never);
    const lines = out?.code?.split('\n') ?? [];
    for (const token of ['items.reduce', 'b.price']) {
      const line = lines.findIndex((l) => l.includes(token));
      const original = originalPositionFor(map, { line: line + 1, column: lines[line]?.indexOf(token) ?? 0 });
      expect([token, original.line, original.column]).toEqual([
        token,
        4,
        code.split('\n')[3]?.indexOf(token),
      ]);
    }
  });

  it('does nothing to woven code', () => {
    const once = babel('// @apm-span\nfunction f() { return 1; }', '/src/a.js', {}) ?? '';
    expect(babel(once, '/src/a.js', { functions: ['**'] })).toBe(babel(once, '/src/a.js', undefined));
  });
});
