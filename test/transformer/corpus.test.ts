// Real code from installed packages, every function selected (`functions: ["**"]`): the output always parses, the
// woven code is recognised as woven, and nothing fails inside the weaver. Behaviour is checked by test/weave/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@babel/parser';
import { describe, expect, it } from 'vitest';
import type { WeaveWarning } from '../../transformer/core/types.js';
import { weave } from '../../transformer/index.js';

const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));
const CORPUS = [
  'qs/lib/parse.js',
  'qs/lib/utils.js',
  'picomatch/lib/parse.js',
  'picomatch/lib/scan.js',
  'magic-string/dist/index.mjs',
  'esbuild/lib/main.js',
  'tape/lib/test.js',
  '@babel/parser/lib/index.js',
  'typescript/lib/typescript.js',
];

describe('weaving real packages', () => {
  it.each(CORPUS)(
    '%s',
    (file) => {
      const path = join(NODE_MODULES, file);
      const code = readFileSync(path, 'utf8');
      const id = `/corpus/${file}`;
      const warnings: WeaveWarning[] = [];
      const result = weave(code, id, { functions: ['**'], onWarning: (w) => warnings.push(w) });
      expect(warnings.filter((w) => /internal error|cannot parse/.test(w.message))).toEqual([]);
      expect(result?.woven.length).toBeGreaterThan(5);
      expect(() =>
        parse(result?.code ?? '', { sourceType: 'unambiguous', allowReturnOutsideFunction: true }),
      ).not.toThrow();
      expect(weave(result?.code ?? '', id, { functions: ['**'] })).toBeUndefined();
    },
    120_000,
  );
});
