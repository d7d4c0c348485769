import { afterEach, describe, expect, it, vi } from 'vitest';
import { type WeaveWarning, weave } from '../../transformer/index.js';

function weaveCollecting(code: string, id = '/src/a.ts', options = {}) {
  const warnings: WeaveWarning[] = [];
  const result = weave(code, id, { ...options, onWarning: (w) => warnings.push(w) });
  return { result, warnings, messages: warnings.map((w) => `${w.line}:${w.column} ${w.message}`) };
}

describe('weave: output shape', () => {
  it('wraps a declaration, hoists its spec and imports only what is used', () => {
    const { result } = weaveCollecting('// @apm-span\nfunction f(a, b = 1) { return a + b; }\n', '/src/a.js');
    expect(result?.code).toBe(
      'import { defineSpan as __apmDefine, wovenCall as __apmCall } from "apm-weaver";\n' +
        'var __apmS0 = __apmDefine("f", "code.custom");\n' +
        '// @apm-span\nfunction f(a, b = 1) { return __apmCall(__apmS0, () => { return a + b; }); }\n',
    );
    expect(result?.woven).toEqual(['f']);
  });

  it('keeps expression bodies (and their parentheses) and returns the body promise of async ones', () => {
    const code =
      '/** @apm-span */\nconst h = (a) => ({ a });\n/** @apm-span */\nconst k = async (a) => a + 1;';
    const out = weaveCollecting(code).result?.code ?? '';
    expect(out).toContain('const h = (a) => __apmCall(__apmS0, () => ({ a }));');
    expect(out).toContain(
      'const k = async (a) => { const __apmB1$k = async () => a + 1; return __apmAsync(__apmS1, __apmB1$k); };',
    );
  });

  it('moves generator bodies into an inner generator applied with the same this and arguments', () => {
    const code = '// @apm-span\nfunction* g() { yield 1; }\n// @apm-span\nasync function* ag() { yield 2; }';
    const out = weaveCollecting(code).result?.code ?? '';
    expect(out).toContain('wovenGenerator as __apmGen, wovenAsyncGenerator as __apmAsyncGen');
    expect(out).toContain(
      'function* g() { return yield* __apmGen(__apmS0, function* () { yield 1; }.apply(this, arguments)); }',
    );
    expect(out).toContain(
      'return yield* __apmAsyncGen(__apmS1, async function* () { yield 2; }.apply(this, arguments));',
    );
  });

  it('keeps the hashbang and the directive prologues first, adding a semicolon where ASI would not', () => {
    const code =
      '#!/usr/bin/env node\n"use client"\n// @apm-span\nfunction f() { "use strict"\n  return 1; }';
    const out = weaveCollecting(code, '/src/a.js').result?.code ?? '';
    expect(out.startsWith('#!/usr/bin/env node\n"use client";\nimport {')).toBe(true);
    expect(out).toContain(
      'function f() { "use strict"; return __apmCall(__apmS0, () => {\n  return 1; }); }',
    );
  });

  it('uses require in CommonJS files and import in ES modules', () => {
    const cjs = '// @apm-span\nfunction f() {}\nmodule.exports = { f };';
    expect(weaveCollecting(cjs, '/src/a.js').result?.code).toMatch(
      /^var \{ defineSpan: __apmDefine, wovenCall: __apmCall \} = require\("apm-weaver"\);/,
    );
    expect(weaveCollecting('// @apm-span\nfunction f() {}', '/src/a.cjs').result?.code).toMatch(
      /^var \{ defineSpan/,
    );
    expect(weaveCollecting('// @apm-span\nfunction f() {}', '/src/a.mjs').result?.code).toMatch(
      /^import \{ defineSpan/,
    );
    const both = 'import x from "x";\nconst y = require("y");\n// @apm-span\nfunction f() {}';
    expect(weaveCollecting(both, '/src/a.js').result?.code).toMatch(/^import \{ defineSpan/);
  });

  it('imports from options.runtime and types spans with options.spanType unless the marker says', () => {
    const code = '// @apm-span\nfunction f() {}\n// @apm-span type=db.redis\nfunction g() {}';
    const out =
      weaveCollecting(code, '/src/a.js', { runtime: './rt.js', spanType: 'app' }).result?.code ?? '';
    expect(out).toContain('from "./rt.js"');
    expect(out).toContain('__apmDefine("f", "app")');
    expect(out).toContain('__apmDefine("g", "db.redis")');
  });

  it('renders marker values as escaped string literals only', () => {
    const code = String.raw`// @apm-span name="x\"); process.exit(1); (\"" label.team=</script> type=a\b
function f() {}`;
    const { result } = weaveCollecting(code, '/src/a.js');
    const spec = result?.code.split('\n')[1] ?? '';
    expect(spec).toBe(
      `var __apmS0 = __apmDefine("x\\"); process.exit(1); (\\"", "a\\\\b", { labels: { "team": "</script>" } });`,
    );
    expect(() => new Function(spec.replace(/^var /, 'var __apmDefine = () => 0; var '))).not.toThrow();
  });

  it('picks other identifiers when the file already uses __apm names', () => {
    const { result } = weaveCollecting(
      'const __apmS0 = 1;\n// @apm-span\nfunction f() { return __apmS0; }',
      '/src/a.js',
    );
    expect(result?.code).toContain('import { defineSpan as __apm1_Define, wovenCall as __apm1_Call }');
    expect(result?.code).toContain('return __apm1_Call(__apm1_S0, () => { return __apmS0; });');
  });

  it('weaves nested functions inside out, closing the inner wrapper first', () => {
    const code = '// @apm-span\nconst a = (x) => /* @apm-span */ (y) => x + y;';
    expect(weaveCollecting(code).result?.code).toContain(
      'const a = (x) => /* @apm-span */ __apmCall(__apmS0, () => (y) => __apmCall(__apmS1, () => x + y));',
    );
  });
});

describe('weave: marker placement', () => {
  it('finds a marker followed by other comments before the function', () => {
    const code = '// @apm-span\n// eslint-disable-next-line no-unused-vars\n/** Docs. */\nfunction f() {}';
    expect(weaveCollecting(code, '/src/a.js').result?.woven).toEqual(['f']);
  });

  it('finds a marker after the JSDoc it is not part of, and between export and the declaration', () => {
    const code = '/** Docs. */\n// @apm-span\nexport function f() {}\nexport /* @apm-span */ function g() {}';
    expect(weaveCollecting(code, '/src/a.js').result?.woven).toEqual(['f', 'g']);
  });
});

describe('weave: untouched and idempotent', () => {
  it('returns undefined when there is nothing to weave', () => {
    expect(weave('function f() {}', '/src/a.js')).toBeUndefined();
    expect(weave('// @apm-span\nconst x = 1;', '/src/a.js', { onWarning: () => {} })).toBeUndefined();
    expect(weave('function f() {}', '/src/a.js', { functions: ['g'] })).toBeUndefined();
  });

  it('returns undefined for woven code', () => {
    const once = weave('// @apm-span\nfunction f() {}', '/src/a.js');
    expect(once).toBeDefined();
    expect(weave(once?.code ?? '', '/src/a.js')).toBeUndefined();
    expect(weave(once?.code ?? '', '/src/a.js', { functions: ['**'] })).toBeUndefined();
  });
});

describe('weave: warnings', () => {
  afterEach(() => vi.restoreAllMocks());

  it('warns with file, line and column when a marker stands before no function', () => {
    const { result, messages, warnings } = weaveCollecting(
      'const a = 1;\n  // @apm-span\n  const x = 1;\n',
      '/src/m.js',
    );
    expect(result).toBeUndefined();
    expect(messages).toEqual(['2:2 @apm-span does not stand right before a function; nothing woven here']);
    expect(warnings[0]?.file).toBe('/src/m.js');
  });

  it('warns about markers before a call that takes a function, a class, or an object', () => {
    const code = '// @apm-span\nfoo(() => 1);\n// @apm-span\nclass A {}\n// @apm-span\nconst o = { m() {} };';
    expect(weaveCollecting(code).warnings.map((w) => w.line)).toEqual([1, 3, 5]);
  });

  it('leaves unweavable functions as they are, with the reason', () => {
    const code = [
      'class B { *g() { yield 1; } }',
      'class A extends B {',
      '  // @apm-span',
      '  *g() { yield* super.g(); }',
      '}',
      '// @apm-span',
      'function r(a) { var a = 2; return a; }',
      '// @apm-span',
      'function s() { function arguments() {} }',
      'abstract class C {',
      '  // @apm-span',
      '  abstract m(): void;',
      '}',
      'class D extends B {',
      '  // @apm-span',
      '  constructor(private x: number) { super(); }',
      '}',
    ].join('\n');
    const { result, messages } = weaveCollecting(code);
    expect(result).toBeUndefined();
    expect(messages).toEqual([
      '4:2 cannot weave A.g: it is a generator whose body uses super, which an inner generator cannot reach',
      '7:0 cannot weave r: its body redeclares "a" with var or function, which would be a new binding inside the wrapper',
      '9:0 cannot weave s: its body redeclares "arguments" with var or function, which would be a new binding inside the wrapper',
      '12:2 cannot weave C.m: it has no body (overload signature, abstract or declare)',
      '16:2 cannot weave D.constructor: a derived-class constructor with parameter properties: TypeScript emits their assignments after a top-level super() call, which the wrapper would move',
    ]);
  });

  it('reports marker options it does not understand but weaves anyway', () => {
    const { result, messages } = weaveCollecting('// @apm-span colour=red\nfunction f() {}');
    expect(result?.woven).toEqual(['f']);
    expect(messages).toEqual(['1:0 unknown marker option "colour"']);
  });

  it('turns a parse error into a warning and leaves the file', () => {
    const { result, messages } = weaveCollecting('// @apm-span\nfunction f( {', '/src/broken.js');
    expect(result).toBeUndefined();
    expect(messages[0]).toMatch(/^2:\d+ cannot parse: /);
  });

  it('by default calls console.warn once per file, with every warning of the file', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    weave('// @apm-span\nconst x = 1;\n// @apm-span\nconst y = 2;', '/src/w.js');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toBe(
      '[apm-weaver] /src/w.js:1:1: @apm-span does not stand right before a function; nothing woven here\n' +
        '[apm-weaver] /src/w.js:3:1: @apm-span does not stand right before a function; nothing woven here',
    );
  });

  it('rule-selected functions without a body are skipped silently', () => {
    const { result, warnings } = weaveCollecting(
      'declare function d(): void;\nfunction f() {}',
      '/src/a.ts',
      { functions: ['*'] },
    );
    expect(result?.woven).toEqual(['f']);
    expect(warnings).toEqual([]);
  });
});
