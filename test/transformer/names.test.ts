import { describe, expect, it } from 'vitest';
import { weave } from '../../transformer/index.js';

/** The qualified names a `functions: ["**"]` rule selects in the code, in source order. */
function namesOf(code: string, id = '/src/a.ts'): string[] {
  return weave(code, id, { functions: ['**'], onWarning: () => {} })?.woven ?? [];
}

describe('qualified names', () => {
  it.each([
    ['function fn() {}', ['fn']],
    ['const fn = () => 1;', ['fn']],
    ['let fn = function inner() {};', ['fn']],
    ['export default function () {}', ['default']],
    ['export default () => 1;', ['default']],
    ['export const a = async () => 1;', ['a']],
    [
      'class Cart { checkout() {} static create() {} #priv() {} get total() { return 1 } set total(v) {} constructor() {} }',
      ['Cart.checkout', 'Cart.create', 'Cart.#priv', 'get Cart.total', 'set Cart.total', 'Cart.constructor'],
    ],
    ['const Cart = class { m() {} };', ['Cart.m']],
    ['class A { handler = () => 1; static #s = function () {}; }', ['A.handler', 'A.#s']],
    [
      'const obj = { method() {}, arrow: () => 1, "quoted key"() {}, 42() {}, ["lit"]() {}, get g() { return 1 } };',
      ['obj.method', 'obj.arrow', 'obj.quoted key', 'obj.42', 'obj.lit', 'get obj.g'],
    ],
    ['const obj = { inner: { deep() {} } };', ['obj.inner.deep']],
    ['exports.handler = function () {};', ['exports.handler']],
    ['Cart.prototype.add = function () {};', ['Cart.add']],
    ['class S { [Symbol.iterator]() {} }', ['S.[Symbol.iterator]']],
    ['function outer(cb = () => 1) {}', ['outer', 'cb']],
    ['const f = (() => 1) as unknown as () => number;', ['f']],
  ])('%s', (code, expected) => {
    expect(namesOf(code)).toEqual(expected);
  });

  it('gives anonymous callbacks no name, so rules never select them', () => {
    expect(namesOf('[1].map((x) => x * 2); setTimeout(function () {});')).toEqual([]);
  });

  it('names anonymous functions selected by a marker <anonymous>, or as the marker says', () => {
    const code =
      'app.get("/", /* @apm-span */ (req) => 1);\napp.post("/", /* @apm-span name="post" */ function () {});';
    expect(weave(code, '/src/a.js')?.woven).toEqual(['<anonymous>', '<anonymous>']);
    expect(weave(code, '/src/a.js')?.code).toContain('__apmDefine("post", "code.custom")');
  });

  it('treats overload signatures as part of their implementation', () => {
    const code =
      'function f(a: string): string;\nfunction f(a: number): number;\nfunction f(a: any) { return a; }';
    expect(namesOf(code)).toEqual(['f']);
    const marked = `// @apm-span\n${code}`;
    const warnings: string[] = [];
    expect(weave(marked, '/src/a.ts', { onWarning: (w) => warnings.push(w.message) })?.woven).toEqual(['f']);
    expect(warnings).toEqual([]);
  });

  it('selects with file#name rules only in matching files', () => {
    const code = 'class Cart { a() {} b() {} }';
    expect(weave(code, `${process.cwd()}/src/cart.ts`, { functions: ['src/**#Cart.a'] })?.woven).toEqual([
      'Cart.a',
    ]);
    expect(weave(code, `${process.cwd()}/lib/cart.ts`, { functions: ['src/**#Cart.a'] })).toBeUndefined();
  });

  it('lets @apm-ignore keep rules from selecting a function', () => {
    const code = 'function a() {}\n// @apm-ignore\nfunction b() {}\nconst c = /* @apm-ignore */ () => 1;';
    expect(weave(code, '/src/a.js', { functions: ['*'] })?.woven).toEqual(['a']);
  });
});
