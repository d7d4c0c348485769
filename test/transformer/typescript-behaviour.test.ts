import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { runBoth, spanSummary, type TranspileSettings } from './typescript-harness.js';

/**
 * The TypeScript front end, construct by construct: each program is transpiled with and without the weaver
 * (ts.transpileModule, the weaver in `before`), both outputs run in node, and the woven run must print exactly what
 * the plain run prints, exit the same way, and record the expected spans (name<-parent:outcome, in start order).
 */
interface Case {
  name: string;
  source: string;
  spans: string[];
  settings?: TranspileSettings;
  warnings?: RegExp[];
}

const ES2020 = { target: ts.ScriptTarget.ES2020 };

const cases: Case[] = [
  {
    name: 'declarations: hoisting, name, length, default parameter scope, rest, destructuring',
    source: `
      console.log(early(2), early.name, early.length);
      // @apm-span
      function early(a: number, b = () => a, ...rest: number[]) { return [a, b(), rest.length]; }
      // @apm-span
      function pick({ x, y: [z] }: { x: number; y: number[] }, ...more: unknown[]) { return x + z + more.length; }
      console.log(pick({ x: 1, y: [2] }, 'a', 'b'), pick.length);`,
    spans: ['early:success', 'pick:success'],
  },
  {
    name: 'this, arguments and new.target',
    source: `
      // @apm-span
      function Thing(this: any, a: number) { this.a = a; console.log(arguments.length, new.target === Thing, typeof new.target); }
      const t = new (Thing as any)(1, 2, 3);
      Thing.call({}, 7);
      console.log(t.a);
      const holder = {
        v: 42,
        // @apm-span
        read(this: { v: number }) { return [this.v, arguments[0]]; },
      };
      console.log(holder.read.call({ v: 9 } as any, 'x'));`,
    spans: ['Thing:success', 'Thing:success', 'holder.read:success'],
  },
  {
    name: 'super in class methods, static methods and object literal methods',
    source: `
      class Base { hello() { return 'base'; } static make() { return 'made'; } }
      class Child extends Base {
        // @apm-span
        override hello() { return super.hello() + '+child'; }
        // @apm-span
        static make() { return super.make() + '!'; }
      }
      const proto = { greet() { return 'proto'; } };
      const obj = {
        __proto__: proto,
        // @apm-span
        greet() { return super.greet() + '+obj'; },
      };
      console.log(new Child().hello(), Child.make(), obj.greet());`,
    spans: ['Child.hello:success', 'Child.make:success', 'obj.greet:success'],
  },
  {
    name: 'getters, setters, #private methods, computed keys, class field arrows',
    source: `
      const key = 'dyn';
      class Box {
        #v = 1;
        // @apm-span
        get value() { return this.#v; }
        // @apm-span
        set value(n: number) { this.#v = n; }
        // @apm-span
        #double() { return this.#v * 2; }
        // @apm-span
        ['lit']() { return this.#double(); }
        // @apm-span
        [key]() { return 'computed'; }
        // @apm-span
        handler = (x: number) => this.#v + x;
      }
      const b = new Box();
      b.value = 5;
      console.log(b.value, b.lit(), (b as any).dyn(), b.handler(1), Object.getOwnPropertyNames(Box.prototype));`,
    spans: [
      'set Box.value:success',
      'get Box.value:success',
      'Box.lit:success',
      'Box.#double<-Box.lit:success',
      'Box.[key]:success',
      'Box.handler:success',
    ],
  },
  {
    // B and D have nothing TypeScript adds after super(): super() runs inside their span. C has fields lowered for
    // ES2020: its statements through super() stay outside the wrapper (A's span is a sibling). E has parameter
    // properties: refused with a warning, as in the other front ends.
    name: 'constructors: base, derived with super() inside the span, lowered fields, parameter properties',
    source: `
      class A {
        // @apm-span
        constructor(public a: number) { console.log('A', new.target.name); }
      }
      class B extends A {
        // @apm-span
        constructor(x: number) { console.log('before super'); super(x); console.log('B', this.a); }
      }
      class C extends A {
        z = 'field';
        #secret = 's';
        c: number;
        // @apm-span
        constructor(c: number) { super(c * 2); this.c = c; console.log('C', this.c, this.z, this.#secret); }
        get all() { return [this.a, this.c, this.z, this.#secret]; }
      }
      class D extends A {
        // @apm-span
        constructor() { super(0); return { replaced: true } as any; }
      }
      class E extends A {
        // @apm-span
        constructor(readonly e: number) { super(e); }
      }
      console.log(new B(1).a, new C(3).all, new D(), JSON.stringify(new C(4)), JSON.stringify(new E(5)));`,
    spans: [
      'B.constructor:success',
      'A.constructor<-B.constructor:success',
      'A.constructor:success',
      'C.constructor:success',
      'D.constructor:success',
      'A.constructor<-D.constructor:success',
      'A.constructor:success',
      'C.constructor:success',
      'A.constructor:success',
    ],
    settings: ES2020,
    warnings: [/:24:8: cannot weave E\.constructor: a derived-class constructor with parameter properties/],
  },
  {
    name: 'async functions and arrows: values, rejections, the returned promise',
    source: `
      // @apm-span
      async function ok(x: number) { await null; return x * 2; }
      // @apm-span
      async function bad() { await null; throw new TypeError('nope'); }
      // @apm-span
      const arrow = async (x: number) => x + 1;
      // @apm-span
      const early = async () => { throw new RangeError('sync part'); };
      (async () => {
        console.log(await ok(2), await arrow(1));
        await bad().catch((e) => console.log('caught', e instanceof TypeError, e.message));
        const p = early();
        console.log(p instanceof Promise);
        await p.catch((e) => console.log('caught', e.name));
      })();`,
    spans: ['ok:success', 'arrow:success', 'bad:failure', 'early:failure'],
  },
  {
    name: 'sync throws and thenables come back unchanged',
    source: `
      const thenable = { then(resolve: (v: number) => void) { resolve(7); } };
      class MyPromise<T> extends Promise<T> {}
      // @apm-span
      function giveThenable() { return thenable; }
      // @apm-span
      function givePromise() { return MyPromise.resolve(1); }
      // @apm-span
      function boom(): never { throw { custom: 'value' }; }
      console.log(giveThenable() === thenable, givePromise() instanceof MyPromise);
      try { boom(); } catch (e) { console.log('caught', e); }`,
    spans: ['giveThenable:success', 'givePromise:success', 'boom:failure'],
  },
  {
    name: 'generators: next, throw, return, arguments, this',
    source: `
      class Counter {
        start = 10;
        // @apm-span
        *count(n: number) { for (let i = 0; i < n; i++) { const sent = yield this.start + i; if (sent) console.log('sent', sent); } return arguments.length; }
      }
      const c = new Counter();
      const it = c.count(3, 'extra' as never);
      console.log(it.next(), it.next('hi'), it.next(), it.next(), it.next());
      const it2 = c.count(5);
      it2.next();
      console.log(it2.return(99 as never));
      const it3 = c.count(5);
      it3.next();
      try { it3.throw(new Error('thrown in')); } catch (e) { console.log('caught', (e as Error).message); }`,
    spans: ['Counter.count:success', 'Counter.count:success', 'Counter.count:failure'],
  },
  {
    name: 'async generators with return and throw',
    source: `
      // @apm-span
      async function* ticks(n: number) { for (let i = 0; i < n; i++) { await null; yield i; } }
      (async () => {
        const seen: number[] = [];
        for await (const t of ticks(3)) seen.push(t);
        const g = ticks(5);
        await g.next();
        console.log(seen, await g.return(42 as never));
        const h = ticks(5);
        await h.next();
        await h.throw(new Error('stop')).catch((e: Error) => console.log('caught', e.message));
      })();`,
    spans: ['ticks:success', 'ticks:success', 'ticks:failure'],
  },
  {
    name: 'recursion nests spans',
    source: `
      // @apm-span
      function fact(n: number): number { return n <= 1 ? 1 : n * fact(n - 1); }
      console.log(fact(3));`,
    spans: ['fact:success', 'fact<-fact:success', 'fact<-fact:success'],
  },
  {
    name: 'directives stay first; sloppy and strict functions keep their this',
    source: `
      // @apm-span
      function sloppy(this: unknown) { return this === globalThis; }
      // @apm-span
      function strict(this: unknown) { 'use strict'; return this === undefined; }
      console.log(sloppy(), strict());`,
    spans: ['sloppy:success', 'strict:success'],
    settings: { module: ts.ModuleKind.CommonJS },
  },
  {
    name: 'TypeScript-only syntax: overloads, abstract, declare, legacy decorators',
    source: `
      function logged(_t: unknown, key: string, d: PropertyDescriptor) { const o = d.value; d.value = function (this: unknown, ...a: unknown[]) { console.log('call', key); return o.apply(this, a); }; }
      declare function ambient(x: number): number;
      // @apm-span
      function over(x: number): number;
      function over(x: string): string;
      function over(x: any) { return x; }
      abstract class Shape {
        abstract area(): number;
        // @apm-span
        describe() { return 'area ' + this.area(); }
      }
      class Square extends Shape {
        constructor(private side: number) { super(); }
        // @apm-span
        @logged area() { return this.side ** 2; }
      }
      console.log(over(1), over('s'), new Square(3).describe(), typeof ambient);`,
    spans: ['over:success', 'over:success', 'Shape.describe:success', 'Square.area<-Shape.describe:success'],
    settings: { compilerOptions: { experimentalDecorators: true } },
  },
  {
    name: 'standard decorators on a derived class',
    source: `
      function tag(value: any, ctx: ClassMethodDecoratorContext) { return function (this: any, ...a: any[]) { return 'tagged ' + value.apply(this, a); }; }
      class Base { constructor(public base: string) {} }
      class Widget extends Base {
        // @apm-span
        @tag render() { return 'widget'; }
        // @apm-span
        constructor() { super('b'); console.log('widget made', this.base); }
      }
      console.log(new Widget().render());`,
    spans: ['Widget.constructor:success', 'Widget.render:success'],
  },
  {
    name: 'unweavable functions are left alone, with a warning each',
    source: `
      class P { m() { return 'p'; } }
      class Q extends P {
        // @apm-span
        *gen() { yield super.m(); }
      }
      // @apm-span
      function redeclares(a: number) { var a: number; return a; }
      // @apm-span
      const notAFunction = 3;
      console.log([...new Q().gen()], redeclares(5), notAFunction);`,
    spans: [],
    warnings: [
      /:5:\d+: cannot weave Q\.gen: .*super/,
      /:8:\d+: cannot weave redeclares: .*"a"/,
      /:9:\d+: @apm-span does not stand/,
    ],
  },
  {
    name: 'functions rules select by qualified name; @apm-ignore wins',
    source: `
      export class Cart {
        checkout() { return this.total() + 1; }
        total() { return 41; }
        // @apm-ignore
        secret() { return 's'; }
      }
      export const helper = () => 'h';
      const c = new Cart();
      console.log(c.checkout(), c.secret(), helper());`,
    spans: ['Cart.checkout:success', 'Cart.total<-Cart.checkout:success', 'helper:success'],
    settings: { weave: { functions: ['Cart.*', 'helper'] } },
  },
  {
    name: 'export default forms, named function expressions, class expressions, nested woven functions',
    source: `
      // @apm-span
      export default function () { return 'default fn'; }
      // @apm-span
      const fib = function inner(n: number): number { return n < 2 ? n : inner(n - 1) + inner(n - 2); };
      const Klass = class {
        // @apm-span
        static describe() { return 'static on ' + this.name; }
        // @apm-span
        static handler = () => this.name.length;
      };
      // @apm-span
      function outer(xs: number[]) {
        // @apm-span
        const double = (x: number) => x * 2;
        return xs.map(double);
      }
      console.log(fib(3), Klass.describe(), Klass.handler(), outer([1, 2]));`,
    spans: [
      'fib:success',
      'fib<-fib:success',
      'fib<-fib:success',
      'fib<-fib:success',
      'fib<-fib:success',
      'Klass.describe:success',
      'Klass.handler:success',
      'outer:success',
      'double<-outer:success',
      'double<-outer:success',
    ],
  },
  {
    name: 'class method overloads, object getters, async arrows returning object literals',
    source: `
      class Parser {
        // @apm-span
        parse(x: string): string;
        parse(x: number): number;
        parse(x: any) { return x; }
      }
      const store = {
        items: [1, 2],
        // @apm-span
        get count() { return this.items.length; },
      };
      // @apm-span
      const load = async (id: number) => ({ id, ok: true });
      load(1).then((v) => console.log(new Parser().parse('p'), store.count, v));`,
    spans: ['load:success', 'Parser.parse:success', 'get store.count:success'],
  },
];

describe('TypeScript front end: woven programs behave like the originals', () => {
  for (const c of cases) {
    for (const module of [ts.ModuleKind.ESNext, ts.ModuleKind.CommonJS]) {
      const kind = module === ts.ModuleKind.CommonJS ? 'CommonJS' : 'ESM';
      it(`${c.name} (${kind})`, () => {
        const result = runBoth(c.source, { module, ...c.settings });
        expect(result.plain.stderr).toBe('');
        expect(result.woven.stdout).toBe(result.plain.stdout);
        expect(result.woven.stderr).toBe(result.plain.stderr);
        expect(result.woven.status).toBe(result.plain.status);
        expect(spanSummary(result.woven.spans)).toEqual(c.spans);
        const warnings = result.warnings.map((w) => `${w.file}:${w.line}:${w.column}: ${w.message}`);
        expect(warnings).toHaveLength(c.warnings?.length ?? 0);
        for (const [i, pattern] of (c.warnings ?? []).entries()) expect(warnings[i]).toMatch(pattern);
      });
    }
  }
});
