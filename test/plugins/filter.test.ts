import { describe, expect, it } from 'vitest';
import { codeFilter, isScriptId, requiredLiteral, transformHookFilter } from '../../plugins/filter.js';

describe('requiredLiteral', () => {
  it('takes the longest identifier run a name glob requires', () => {
    expect(requiredLiteral('OrderService.*')).toBe('OrderService');
    expect(requiredLiteral('get Cart.total')).toBe('total');
    expect(requiredLiteral('Class.#secret')).toBe('secret');
    expect(requiredLiteral('handle*')).toBe('handle');
  });

  it('gives up where the glob requires no text: wildcards only, alternatives, negations, numeric keys', () => {
    expect(requiredLiteral('*')).toBeUndefined();
    expect(requiredLiteral('**')).toBeUndefined();
    expect(requiredLiteral('{load,save}')).toBeUndefined();
    expect(requiredLiteral('!(internal)*')).toBeUndefined();
    expect(requiredLiteral('[abc]*')).toBeUndefined();
    expect(requiredLiteral('obj.16')).toBe('obj');
    expect(requiredLiteral('16')).toBeUndefined();
  });
});

describe('codeFilter', () => {
  it('is the marker alone without rules', () => {
    const filter = codeFilter(true, []);
    expect(filter?.test('// @apm-span\nfunction f() {}')).toBe(true);
    expect(filter?.test('function f() {}')).toBe(false);
  });

  it('adds one literal per rule, escaped', () => {
    const filter = codeFilter(true, ['src/**#Cart.*', 'a$b.*']);
    expect(filter?.test('class Cart {}')).toBe(true);
    expect(filter?.test('const a$b = {}')).toBe(true);
    expect(filter?.test('const ab = {}')).toBe(false);
  });

  it('drops the code filter when a rule could select any function', () => {
    expect(codeFilter(true, ['**/pricing/*.ts#*'])).toBeUndefined();
  });

  it('needs no marker when markers are off', () => {
    const filter = codeFilter(false, ['Cart.*']);
    expect(filter?.test('// @apm-span')).toBe(false);
    expect(filter?.test('class Cart {}')).toBe(true);
  });
});

describe('transformHookFilter', () => {
  it('is undefined when nothing could ever be woven', () => {
    expect(transformHookFilter({ markers: false })).toBeUndefined();
  });

  it('by default takes scripts outside node_modules and never virtual modules', () => {
    const filter = transformHookFilter({}, ['/app/node_modules/apm-weaver/dist/runtime/**']);
    expect(filter?.id).toEqual({
      include: [/\.[cm]?[jt]sx?$/],
      exclude: [/^\0/, '/app/node_modules/apm-weaver/dist/runtime/**', /[\\/]node_modules[\\/]/],
    });
    expect(filter?.code).toEqual(/@apm-span/);
  });

  it('passes the user include and exclude globs through, and then does not force the node_modules exclusion', () => {
    const filter = transformHookFilter({
      include: ['src/**/*.ts', 'node_modules/my-lib/**'],
      exclude: ['**/*.test.ts'],
    });
    expect(filter?.id).toEqual({
      include: ['src/**/*.ts', 'node_modules/my-lib/**'],
      exclude: [/^\0/, '**/*.test.ts'],
    });
  });
});

describe('isScriptId', () => {
  it('accepts every JavaScript and TypeScript extension, with a query, and rejects the rest', () => {
    for (const id of [
      '/a.js',
      '/a.mjs',
      '/a.cjs',
      '/a.jsx',
      '/a.ts',
      '/a.mts',
      '/a.cts',
      '/a.tsx',
      '/a.ts?v=1',
    ]) {
      expect(isScriptId(id)).toBe(true);
    }
    for (const id of ['/a.css', '/a.json', '/a.vue', '\0virtual.js', '/a.d'])
      expect(isScriptId(id)).toBe(false);
  });
});
