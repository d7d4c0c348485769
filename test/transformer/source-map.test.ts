import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { weave } from '../../transformer/index.js';

/** Line (1-based) and column (0-based) of the n-th occurrence of `needle`. */
function positionOf(code: string, needle: string, occurrence = 0): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = code.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`"${needle}" not found`);
  const before = code.slice(0, index).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length };
}

const source = [
  '"use client";',
  '// @apm-span',
  'export async function checkout(cart: Cart, total = 1) {',
  '  const price = cart.items.reduce((a, b) => a + b.price, 0);',
  '  return price * total;',
  '}',
  'class Cart {',
  '  /** @apm-span */',
  '  *walk() { yield this.items; }',
  '  // @apm-span',
  '  get size() { return this.items.length; }',
  '}',
  '/* @apm-span */',
  'const tag = (x: string) => ({ x, tagged: true });',
  '',
].join('\n');

describe('source maps', () => {
  it('map every original token of the woven output back to its line and column', () => {
    const result = weave(source, '/src/cart.ts');
    expect(result).toBeDefined();
    const map = new TraceMap(result?.map as never);
    const tokens = [
      'checkout(cart',
      'cart.items.reduce',
      'price * total',
      '*walk()',
      'this.items;',
      'get size',
      'this.items.length',
      'tagged',
    ];
    for (const token of tokens) {
      const generated = positionOf(result?.code ?? '', token);
      const original = originalPositionFor(map, generated);
      expect({ token, line: original.line, column: original.column }).toEqual({
        token,
        ...positionOf(source, token),
      });
      expect(original.source).toBe('/src/cart.ts');
    }
    expect(result?.map.sourcesContent).toEqual([source]);
  });

  it('chain onto options.inputMap', () => {
    const stripped = transformSync(source, { loader: 'ts', sourcemap: 'external', sourcefile: 'cart.ts' });
    const result = weave(stripped.code, '/src/cart.js', { inputMap: stripped.map });
    const map = new TraceMap(result?.map as never);
    for (const token of ['price * total', 'this.items.length', 'tagged']) {
      const original = originalPositionFor(map, positionOf(result?.code ?? '', token));
      expect({ token, line: original.line, column: original.column, source: original.source }).toEqual({
        token,
        ...positionOf(source, token),
        source: 'cart.ts',
      });
    }
  });

  it('chain onto an inline data: source map, which the output no longer carries', () => {
    const stripped = transformSync(source, { loader: 'ts', sourcemap: 'inline', sourcefile: 'cart.ts' });
    expect(stripped.code).toContain('sourceMappingURL=data:');
    const result = weave(stripped.code, '/src/cart.js');
    expect(result?.code).not.toContain('sourceMappingURL');
    const map = new TraceMap(result?.map as never);
    const original = originalPositionFor(map, positionOf(result?.code ?? '', 'this.items.length'));
    expect({ line: original.line, column: original.column, source: original.source }).toEqual({
      ...positionOf(source, 'this.items.length'),
      source: 'cart.ts',
    });
  });
});
