// The front ends the behavioural fixtures run through. Each compiles one fixture source file to JavaScript that
// plain `node` runs: woven when `weave` options are given, otherwise the original, stripped of types the same way.
// To add a front end (the TypeScript transformer), add one entry to FRONT_ENDS.
import { transformSync as babelTransform } from '@babel/core';
import { transformSync as esbuildTransform } from 'esbuild';
import type { WeaveOptions } from '../../transformer/core/types.js';
import { weave } from '../../transformer/index.js';
import { typescriptFrontEnd } from '../transformer/typescript-front-end.js';
import { babelFrontEnd } from './babel-front-end.js';
import { babel8FrontEnd } from './babel8-front-end.js';
import { typescript6FrontEnd } from './typescript6-front-end.js';

export interface FrontEndUnderTest {
  name: string;
  /** One source file to JavaScript for node; `weave` undefined: the original program. */
  compile(source: string, id: string, weave: WeaveOptions | undefined): string;
}

const needsCompile = (id: string) => /\.(?:[cm]?ts|tsx|jsx)$/.test(id);

/**
 * Type stripping shared by every front end: esbuild, with TypeScript's experimental decorators lowered (node has no
 * decorators) and JSX compiled with the fixture's own pragma. JavaScript files pass through untouched.
 */
export function stripTypes(code: string, id: string): string {
  if (!needsCompile(id)) return code;
  return esbuildTransform(code, {
    loader: id.endsWith('.jsx') ? 'jsx' : id.endsWith('x') ? 'tsx' : 'ts',
    sourcefile: id,
    target: 'es2022',
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: true } },
  }).code;
}

const magicString: FrontEndUnderTest = {
  name: 'magic-string',
  compile(source, id, options) {
    const woven = options ? weave(source, id, options) : undefined;
    return stripTypes(woven?.code ?? source, id);
  },
};

const babel = babelFrontEnd('babel', babelTransform, stripTypes);
const babel8 = await babel8FrontEnd(stripTypes);

export const FRONT_ENDS: FrontEndUnderTest[] = [
  magicString,
  babel,
  typescriptFrontEnd,
  typescript6FrontEnd,
  ...(babel8 ? [babel8] : []),
];
