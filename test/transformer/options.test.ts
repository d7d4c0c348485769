import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  pathsToMatch,
  resolveWeaveOptions,
  splitRule,
  WeaveOptionsError,
} from '../../transformer/core/options.js';
import { mightWeave } from '../../transformer/core/precheck.js';

const cwdFile = (rel: string) => join(process.cwd(), rel);

describe('splitRule', () => {
  it.each([
    ['Cart.*', undefined, 'Cart.*'],
    ['src/**/*.ts#Cart.*', 'src/**/*.ts', 'Cart.*'],
    ['Cart.#secret', undefined, 'Cart.#secret'],
    ['src/cart.ts#Cart.#secret', 'src/cart.ts', 'Cart.#secret'],
    ['#x', undefined, '#x'],
  ])('%s', (rule, fileGlob, nameGlob) => {
    expect(splitRule(rule)).toEqual({ fileGlob, nameGlob });
  });
});

describe('resolveWeaveOptions', () => {
  it('applies the defaults', () => {
    const o = resolveWeaveOptions({});
    expect([o.markers, o.spanType, o.runtime, o.rules.length]).toEqual([
      true,
      'code.custom',
      'apm-weaver',
      0,
    ]);
  });

  it('skips node_modules unless include says otherwise, and exclude wins', () => {
    expect(resolveWeaveOptions({}).isFileIncluded(cwdFile('node_modules/lib/a.js'))).toBe(false);
    expect(resolveWeaveOptions({}).isFileIncluded(cwdFile('src/a.ts'))).toBe(true);
    const o = resolveWeaveOptions({ include: ['node_modules/lib/**'], exclude: ['**/*.test.js'] });
    expect(o.isFileIncluded(cwdFile('node_modules/lib/a.js'))).toBe(true);
    expect(o.isFileIncluded(cwdFile('node_modules/lib/a.test.js'))).toBe(false);
    expect(o.isFileIncluded(cwdFile('src/a.ts'))).toBe(false);
  });

  it('matches file globs on the path relative to the working directory and on the absolute path', () => {
    expect(pathsToMatch(`${cwdFile('src/a.ts')}?vue&type=script`)).toEqual(['src/a.ts', cwdFile('src/a.ts')]);
    expect(pathsToMatch('\0virtual:thing')).toEqual([]);
    const o = resolveWeaveOptions({ include: ['/elsewhere/**'] });
    expect(o.isFileIncluded('/elsewhere/x.js')).toBe(true);
  });

  it('compiles name rules and file#name rules', () => {
    const o = resolveWeaveOptions({ functions: ['src/**/*.ts#Cart.*', 'get *.total', 'handle*'] });
    const [fileRule, getterRule, nameRule] = o.rules;
    expect(fileRule?.matchesFile?.(cwdFile('src/shop/cart.ts'))).toBe(true);
    expect(fileRule?.matchesFile?.(cwdFile('lib/cart.ts'))).toBe(false);
    expect(fileRule?.matchesName('Cart.checkout')).toBe(true);
    expect(fileRule?.matchesName('Cart.#secret')).toBe(true);
    expect(fileRule?.matchesName('get Cart.total')).toBe(false);
    expect(getterRule?.matchesName('get Cart.total')).toBe(true);
    expect(nameRule?.matchesFile).toBeUndefined();
    expect(nameRule?.matchesName('handleRequest')).toBe(true);
    expect(o.hasRuleForFile(cwdFile('lib/x.ts'))).toBe(true);
    expect(resolveWeaveOptions({ functions: ['src/**#*'] }).hasRuleForFile(cwdFile('lib/x.ts'))).toBe(false);
  });

  it('caches per options object', () => {
    const options = { functions: ['a'] };
    expect(resolveWeaveOptions(options)).toBe(resolveWeaveOptions(options));
  });

  it.each([
    [{ functions: [''] }, /functions/],
    [{ functions: 'src/**' as unknown as string[] }, /"functions" must be an array/],
    [{ functions: ['src/a.ts#'] }, /no name glob/],
    [{ include: 'src/**' as unknown as string[] }, /include/],
    [{ runtime: '' }, /runtime/],
    [{ markers: 'yes' as unknown as boolean }, /"markers" must be true or false/],
    [{ onWarning: 'console' as unknown as () => void }, /"onWarning" must be a function/],
  ])('rejects invalid options %j', (options, message) => {
    expect(() => resolveWeaveOptions(options)).toThrow(WeaveOptionsError);
    expect(() => resolveWeaveOptions(options)).toThrow(message);
  });
});

describe('mightWeave (the cheap pre-check)', () => {
  const id = cwdFile('src/a.ts');
  it('needs a marker or a rule for the file', () => {
    expect(mightWeave('function f() {}', id, resolveWeaveOptions({}))).toBe(false);
    expect(mightWeave('// @apm-span\nfunction f() {}', id, resolveWeaveOptions({}))).toBe(true);
    expect(mightWeave('// @apm-span\nfunction f() {}', id, resolveWeaveOptions({ markers: false }))).toBe(
      false,
    );
    expect(mightWeave('function f() {}', id, resolveWeaveOptions({ functions: ['f'] }))).toBe(true);
    expect(mightWeave('function f() {}', id, resolveWeaveOptions({ functions: ['lib/**#f'] }))).toBe(false);
  });

  it('says no to excluded and already woven files', () => {
    expect(mightWeave('// @apm-span\nf', id, resolveWeaveOptions({ exclude: ['src/**'] }))).toBe(false);
    const woven = 'import { defineSpan as __apmDefine } from "apm-weaver";\n// @apm-span\nfunction f() {}';
    expect(mightWeave(woven, id, resolveWeaveOptions({}))).toBe(false);
    const wovenCjs = 'var { defineSpan: __apm1_Define } = require("x");\n// @apm-span\nfunction f() {}';
    expect(mightWeave(wovenCjs, id, resolveWeaveOptions({}))).toBe(false);
  });
});
