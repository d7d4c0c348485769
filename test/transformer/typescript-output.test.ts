import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import * as ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { resolveWeaveOptions } from '../../transformer/core/options.js';
import { weaveSourceFile } from '../../transformer/ts/weave-source-file.js';
import apmWeaverTransformer, { createWeaveTransformer } from '../../transformer/typescript.js';
import { RECORDING_RUNTIME, runBoth, runJs, spanSummary, transpile } from './typescript-harness.js';

/** Transforms a parsed file with the weaver alone and tells whether the very same SourceFile came back. */
function transformedIsSame(code: string, fileName: string, options = {}): boolean {
  const file = ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, true);
  const result = ts.transform(file, [createWeaveTransformer(ts, { onWarning: () => {}, ...options })], {
    module: ts.ModuleKind.ESNext,
  });
  const same = result.transformed[0] === file;
  result.dispose();
  return same;
}

const MARKED = `
// @apm-span
export function work(a: number) { return a * 2; }
console.log(work(21));
`;

describe('untouched files and idempotence', () => {
  it('returns the same SourceFile when nothing is selected', () => {
    expect(transformedIsSame('export function plain() { return 1; }\n', 'plain.ts')).toBe(true);
    expect(transformedIsSame(MARKED, 'excluded.ts', { exclude: ['**/excluded.ts'] })).toBe(true);
    expect(transformedIsSame(MARKED, 'marked.ts')).toBe(false);
  });

  it('returns the same SourceFile for a marker before nothing weavable, and warns', () => {
    const warnings: string[] = [];
    const file = ts.createSourceFile(
      'lonely.ts',
      '// @apm-span\nexport const x = 1;\n',
      ts.ScriptTarget.ES2022,
      true,
    );
    const transformer = createWeaveTransformer(ts, {
      onWarning: (w) => warnings.push(`${w.line}:${w.column}`),
    });
    expect(ts.transform(file, [transformer]).transformed[0]).toBe(file);
    expect(warnings).toEqual(['1:0']);
  });

  it('weaving woven code again changes nothing (ESM and CommonJS output)', () => {
    for (const [module, fileName] of [
      [ts.ModuleKind.ESNext, 'again.mjs'],
      [ts.ModuleKind.CommonJS, 'again.cjs'],
    ] as const) {
      const once = transpile(MARKED, { module }).code;
      expect(once).toContain('__apmS0');
      expect(transformedIsSame(once, fileName)).toBe(true);
      const twice = transpile(once, { module, fileName }).code;
      expect(twice).toBe(transpile(once, { module, fileName, weave: false }).code);
    }
  });
});

describe('output form', () => {
  it('reports warnings through console.warn, once per file, when no onWarning is given', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const source = '// @apm-span\nconst a = 1;\n// @apm-span\nconst b = 2;\n';
      ts.transpileModule(source, {
        fileName: 'two.ts',
        transformers: { before: [createWeaveTransformer(ts)] },
      });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/two\.ts:1:1: .*\n.*two\.ts:3:1: /);
    } finally {
      warn.mockRestore();
    }
  });

  it('picks other identifiers when the file already uses __apm names', () => {
    const source = `
      const __apmCall = 'mine';
      // @apm-span
      function f() { return __apmCall; }
      console.log(f());`;
    const result = runBoth(source);
    expect(result.wovenCode).toContain('__apm1_Call(__apm1_S0');
    expect(result.woven.stdout).toBe('mine\n');
    expect(spanSummary(result.woven.spans)).toEqual(['f:success']);
  });

  it('marker values reach the output only as escaped string literals', () => {
    const source = `
      // @apm-span name="a\\"); process.exit(3); (\\"" label.x="</script>"
      function f() { return 1; }
      console.log(f());`;
    const result = runBoth(source);
    expect(result.woven.status).toBe(0);
    expect(result.woven.spans[0]?.name).toBe('a"); process.exit(3); ("');
  });

  it('keeps a script that uses require a CommonJS script, whatever the module setting', () => {
    const source = `const assert = require('node:assert');\n// @apm-span\nfunction f() { return 2; }\nassert.equal(f(), 2);\nconsole.log('ok');\n`;
    const woven = transpile(source, { fileName: 'script.js', compilerOptions: { allowJs: true } }).code;
    expect(woven).toMatch(/^var \{ defineSpan: __apmDefine, wovenCall: __apmCall \} = require\(/m);
    const run = runJs(woven, 'cjs');
    expect(run.stdout).toBe('ok\n');
    expect(spanSummary(run.spans)).toEqual(['f:success']);
  });

  it('AMD, UMD and System outputs receive the runtime through their module factory', () => {
    for (const module of [ts.ModuleKind.AMD, ts.ModuleKind.UMD]) {
      const code = transpile(MARKED, { module }).code;
      expect(code).toContain(JSON.stringify(RECORDING_RUNTIME));
      expect(code).toMatch(/var \{ defineSpan: __apmDefine, wovenCall: __apmCall \} = __apmRuntime;/);
    }
    // System hoists the variables and assigns them in its execute function.
    const system = transpile(MARKED, { module: ts.ModuleKind.System }).code;
    expect(system).toContain(`System.register([${JSON.stringify(RECORDING_RUNTIME)}]`);
    expect(system).toContain('__apmDefine = __apmRuntime.defineSpan, __apmCall = __apmRuntime.wovenCall;');
    // UMD runs as CommonJS under node.
    const umd = runJs(transpile(MARKED, { module: ts.ModuleKind.UMD }).code, 'cjs');
    expect(umd.stdout).toBe('42\n');
    expect(spanSummary(umd.spans)).toEqual(['work:success']);
  });

  it('source maps send the moved body back to its original line and column', () => {
    const source = [
      'export class K {',
      '  // @apm-span',
      '  run(n: number) {',
      '    return n + 1;',
      '  }',
      '}',
      '',
    ].join('\n');
    const result = ts.transpileModule(source, {
      fileName: 'mapped.ts',
      compilerOptions: { sourceMap: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      transformers: { before: [createWeaveTransformer(ts)] },
    });
    const map = new TraceMap(JSON.parse(result.sourceMapText ?? '{}'));
    const lines = result.outputText.split('\n');
    const line = lines.findIndex((l) => l.includes('return n + 1;'));
    expect(line).toBeGreaterThan(0);
    const column = (lines[line] ?? '').indexOf('n + 1');
    expect(originalPositionFor(map, { line: line + 1, column })).toMatchObject({
      source: 'mapped.ts',
      line: 4,
      column: 11,
    });
    const runLine = lines.findIndex((l) => l.includes('run(n)'));
    const runColumn = (lines[runLine] ?? '').indexOf('run');
    expect(originalPositionFor(map, { line: runLine + 1, column: runColumn })).toMatchObject({
      line: 3,
      column: 2,
    });
  });
});

describe('the ts-patch entry', () => {
  it('takes the weave options from the plugin entry and the compiler from extras', () => {
    const config = {
      transform: 'apm-weaver/typescript',
      functions: ['work'],
      markers: false,
      runtime: RECORDING_RUNTIME,
    };
    const factory = apmWeaverTransformer(undefined, config, { ts });
    const source =
      'export function work() { return 1; }\n// @apm-span\nexport function marked() { return 2; }\n';
    const code = ts.transpileModule(source, {
      fileName: 'entry.ts',
      transformers: { before: [factory] },
    }).outputText;
    expect(code).toContain('var __apmS0 = __apmDefine("work", "code.custom");');
    expect(code).not.toContain('__apmS1');
  });

  it('fails the build on invalid options or without ts-patch, and only then', () => {
    expect(() => apmWeaverTransformer(undefined, { functions: [''] }, { ts })).toThrow(
      /\[apm-weaver\] option "functions" must be an array of non-empty rule strings/,
    );
    expect(() => apmWeaverTransformer(undefined, { spanType: '' }, { ts })).toThrow(/option "spanType"/);
    expect(() => apmWeaverTransformer(undefined, {}, undefined)).toThrow(/compile with tspc/);
  });
});

describe('robustness', () => {
  it('leaves a file unwoven, with a warning, when weaving it fails', () => {
    const warnings: string[] = [];
    const file = ts.createSourceFile('broken.ts', MARKED, ts.ScriptTarget.ES2022, true);
    const failingContext = {
      getCompilerOptions: () => {
        throw new Error('no options today');
      },
    } as unknown as ts.TransformationContext;
    const options = resolveWeaveOptions({
      onWarning: (w) => warnings.push(`${w.file}:${w.line}: ${w.message}`),
    });
    expect(weaveSourceFile(ts, failingContext, file, options)).toBe(file);
    expect(warnings).toEqual(['broken.ts:1: file left unwoven after an internal error: no options today']);
  });

  it('weaves TSX components', () => {
    const source = `
      const h = (tag: string, props: unknown, ...children: unknown[]) => ({ tag, children });
      // @apm-span
      const App = ({ name }: { name: string }) => <div>hello {name}</div>;
      // @apm-span
      function List() { return <ul>{[1, 2].map((i) => <li>{i}</li>)}</ul>; }
      console.log(JSON.stringify([App({ name: 'x' }), List()]));`;
    const result = runBoth(source, {
      fileName: 'app.tsx',
      compilerOptions: { jsx: ts.JsxEmit.React, jsxFactory: 'h' },
    });
    expect(result.plain.stdout).toContain('"tag":"div"');
    expect(result.woven.stdout).toBe(result.plain.stdout);
    expect(spanSummary(result.woven.spans)).toEqual(['App:success', 'List:success']);
  });
});

describe('lower targets: TypeScript lowers the woven code like the rest', () => {
  const source = `
    class Base { async value() { return 1; } }
    class Derived extends Base {
      // @apm-span
      async value() { await null; return (await super.value()) + 1; }
      // @apm-span
      *pairs() { yield [this.constructor.name, arguments.length]; }
    }
    // @apm-span
    const later = async (x: number) => { await null; return x; };
    (async () => console.log(await new Derived().value(), [...new Derived().pairs()], await later(3)))();`;
  for (const target of [ts.ScriptTarget.ES2015, ts.ScriptTarget.ES2017]) {
    it(`target ${ts.ScriptTarget[target]}`, () => {
      for (const module of [ts.ModuleKind.ESNext, ts.ModuleKind.CommonJS]) {
        const result = runBoth(source, { target, module });
        expect(result.plain.stdout).toBe("2 [ [ 'Derived', 0 ] ] 3\n");
        expect(result.woven.stdout).toBe(result.plain.stdout);
        expect(result.woven.stderr).toBe('');
        expect(spanSummary(result.woven.spans)).toEqual([
          'Derived.value:success',
          'Derived.pairs:success',
          'later:success',
        ]);
      }
    });
  }
});

describe('target ES5: what TypeScript lowers safely is woven, the rest is refused with a warning', () => {
  const source = `
    class Base { name() { return 'base'; } }
    class Child extends Base {
      // @apm-span
      constructor() { super(); }
      // @apm-span
      name() { return super.name() + '+child'; }
      // @apm-span
      count() { return arguments.length; }
      // @apm-span
      *ids() { yield this.name(); }
    }
    const c = new Child();
    console.log(c.name(), (c.count as any)(1, 2), c.ids().next().value);`;
  it('runs like the original', () => {
    for (const module of [ts.ModuleKind.ESNext, ts.ModuleKind.CommonJS]) {
      const result = runBoth(source, {
        module,
        target: ts.ScriptTarget.ES5,
        compilerOptions: { lib: ['es2022', 'dom'], downlevelIteration: true },
      });
      expect(result.plain.stdout).toBe('base+child 2 base+child\n');
      expect(result.woven.stdout).toBe(result.plain.stdout);
      expect(result.woven.stderr).toBe('');
      expect(spanSummary(result.woven.spans)).toEqual([
        'Child.name:success',
        'Child.ids:null', // still open: the generator was not run to its end
        'Child.name<-Child.ids:success',
      ]);
      expect(result.warnings.map((w) => `${w.line}: ${w.message}`)).toEqual([
        '5: cannot weave Child.constructor: below target ES2015 a derived constructor cannot call super() from the lowered wrapper',
        '9: cannot weave Child.count: below target ES2015 the wrapper arrow is lowered and loses `arguments`',
      ]);
    }
  });
});
