// The core on its own, with hand-made candidates: no parser involved, as a front end sees it.
import { describe, expect, it } from 'vitest';
import {
  type CandidateFunction,
  chooseIdentifierPrefix,
  chooseModuleKind,
  planWeave,
  resolveWeaveOptions,
  type SourceComment,
} from '../../transformer/core/index.js';

function candidate(overrides: Partial<CandidateFunction> & { offset: number }): CandidateFunction {
  const { offset, ...rest } = overrides;
  return {
    kind: 'declaration',
    name: {},
    start: { offset, line: 1, column: offset },
    anchors: [offset],
    isAsync: false,
    isGenerator: false,
    hasExpressionBody: false,
    hasBody: true,
    usesSuper: false,
    ...rest,
  };
}

function comment(code: string, text: string): SourceComment {
  const start = code.indexOf(text) - 2;
  return { text: text, start, end: start + text.length + 2, line: 1, column: start };
}

const syntax = { hasEsmSyntax: false, hasCjsSyntax: false };

describe('planWeave', () => {
  it('attaches a marker through whitespace and other comments to the nearest anchor', () => {
    const code = '//@apm-span name=x\n// other\n  function f() {}';
    const f = candidate({ offset: code.indexOf('function'), name: { name: 'f' } });
    const plan = planWeave(
      {
        code,
        id: '/a.js',
        candidates: [f],
        comments: [comment(code, '@apm-span name=x'), comment(code, ' other')],
        moduleSyntax: syntax,
      },
      resolveWeaveOptions({}),
    );
    expect(plan.functions.map((fn) => [fn.qualifiedName, fn.spec.name, fn.specVar, fn.shape])).toEqual([
      ['f', 'x', '__apmS0', 'call'],
    ]);
    expect(plan.warnings).toEqual([]);
    expect(plan.runtimeImport).toEqual({
      specifier: 'apm-weaver',
      moduleKind: 'esm',
      bindings: [
        { imported: 'defineSpan', local: '__apmDefine' },
        { imported: 'wovenCall', local: '__apmCall' },
      ],
    });
  });

  it('does not attach a marker separated by code', () => {
    const code = '// @apm-span\nx;\nfunction f() {}';
    const f = candidate({ offset: code.indexOf('function'), name: { name: 'f' } });
    const plan = planWeave(
      { code, id: '/a.js', candidates: [f], comments: [comment(code, ' @apm-span')], moduleSyntax: syntax },
      resolveWeaveOptions({}),
    );
    expect(plan.functions).toEqual([]);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      '@apm-span does not stand right before a function; nothing woven here',
    ]);
  });

  it('chooses the shape from async and generator, and imports only the entries used', () => {
    const code = 'a b c d';
    const candidates = [
      candidate({ offset: 0, name: { name: 'a' }, isAsync: true }),
      candidate({ offset: 2, name: { name: 'b' }, isGenerator: true }),
      candidate({ offset: 4, name: { name: 'c' }, isGenerator: true, isAsync: true }),
    ];
    const plan = planWeave(
      { code, id: '/a.cjs', candidates, comments: [], moduleSyntax: syntax },
      resolveWeaveOptions({ functions: ['*'] }),
    );
    expect(plan.functions.map((fn) => fn.shape)).toEqual(['asyncCall', 'generator', 'asyncGenerator']);
    expect(plan.runtimeImport.moduleKind).toBe('cjs');
    expect(plan.runtimeImport.bindings.map((b) => b.imported)).toEqual([
      'defineSpan',
      'wovenAsyncCall',
      'wovenGenerator',
      'wovenAsyncGenerator',
    ]);
    // The body's name carries the function's name for stack traces (runtime/stack.ts).
    expect(plan.functions[0]?.asyncLocals).toEqual({ body: '__apmB0$a' });
    expect(plan.functions[1]?.asyncLocals).toBeUndefined();
  });

  it('reports the reasons a front end gives, and what the core finds unweavable', () => {
    const code = 'a b c';
    const candidates = [
      candidate({ offset: 0, name: { name: 'a' }, unsupported: 'front end says no' }),
      candidate({ offset: 2, name: { name: 'b' }, redeclaredName: 'x' }),
      candidate({ offset: 4, name: { name: 'c' }, isGenerator: true, usesSuper: true }),
    ];
    const plan = planWeave(
      { code, id: '/a.js', candidates, comments: [], moduleSyntax: syntax },
      resolveWeaveOptions({ functions: ['*'] }),
    );
    expect(plan.functions).toEqual([]);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'cannot weave a: front end says no',
      'cannot weave b: its body redeclares "x" with var or function, which would be a new binding inside the wrapper',
      'cannot weave c: it is a generator whose body uses super, which an inner generator cannot reach',
    ]);
  });
});

describe('identifiers and module kind', () => {
  it('moves to a numbered prefix when the text already has __apm', () => {
    expect(chooseIdentifierPrefix('const x = 1')).toBe('__apm');
    expect(chooseIdentifierPrefix('const __apmX = 1')).toBe('__apm1_');
    expect(chooseIdentifierPrefix('__apm __apm1_')).toBe('__apm2_');
  });

  it.each([
    ['/a.cjs', { hasEsmSyntax: false, hasCjsSyntax: false }, 'cjs'],
    ['/a.mjs', { hasEsmSyntax: false, hasCjsSyntax: true }, 'esm'],
    ['/a.cts', { hasEsmSyntax: true, hasCjsSyntax: false }, 'esm'],
    ['/a.cts', { hasEsmSyntax: false, hasCjsSyntax: false }, 'cjs'],
    ['/a.js', { hasEsmSyntax: false, hasCjsSyntax: true }, 'cjs'],
    ['/a.js', { hasEsmSyntax: true, hasCjsSyntax: true }, 'esm'],
    ['/a.ts', { hasEsmSyntax: false, hasCjsSyntax: false }, 'esm'],
  ] as const)('%s %j -> %s', (id, moduleSyntax, kind) => {
    expect(chooseModuleKind(id, moduleSyntax)).toBe(kind);
  });
});
