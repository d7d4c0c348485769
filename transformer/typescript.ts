import type * as TS from 'typescript';
import { pickWeaveOptions, resolveWeaveOptions, WeaveOptionsError } from './core/options.js';
import type { WeaveOptions } from './core/types.js';
import type { TypeScript } from './ts/typescript-api.js';
import { weaveSourceFile } from './ts/weave-source-file.js';

export type { WeaveOptions, WeaveWarning } from './core/types.js';

/**
 * The TypeScript front end. With ts-patch, from tsconfig.json:
 *   "plugins": [{ "transform": "apm-weaver/typescript", "functions": ["src/**#*"] }]
 * and compile with `tspc`. It runs before TypeScript's own transforms, so it sees TypeScript syntax and lets the
 * compiler lower the woven code to the configured target and module format.
 */

/** ts-patch's third argument (only what we use). */
export interface TransformerExtras {
  ts: TypeScript;
}

/** Entry point for ts-patch (`type: "program"`, its default): `(program, pluginConfig, extras)`. */
export default function apmWeaverTransformer(
  _program: TS.Program | undefined,
  pluginConfig: WeaveOptions & Record<string, unknown> = {},
  extras?: TransformerExtras,
): TS.TransformerFactory<TS.SourceFile> {
  if (!extras?.ts) {
    throw new WeaveOptionsError(
      'apm-weaver/typescript is a ts-patch transformer: compile with tspc (ts-patch 3 for TypeScript 5, ts-patch 4 for TypeScript 6)',
    );
  }
  // ts-patch hands us the whole plugin entry ("transform", "after", ...): keep only the weave options.
  return createWeaveTransformer(extras.ts, pickWeaveOptions(pluginConfig));
}

/**
 * The same transformer for any API that takes custom transformers (`ts.transpileModule`, `program.emit`, ts-loader's
 * `getCustomTransformers`): pass the TypeScript module you compile with; use it in `before`.
 */
export function createWeaveTransformer(
  ts: TypeScript,
  options: WeaveOptions = {},
): TS.TransformerFactory<TS.SourceFile> {
  const resolved = resolveWeaveOptions(options);
  return (context) => (file) => weaveSourceFile(ts, context, file, resolved);
}
