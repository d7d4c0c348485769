// apm-weaver/transformer: weave(code, id, options?) and the types around it. Named exports only.

import { weaveWithMagicString } from './magic-string.js';
import type { WeaveCallOptions, WeaveResult } from './result.js';

/**
 * Weaves the functions of one file selected by `@apm-span` markers or `functions` rules. Returns undefined when
 * nothing was woven (the file is untouched); otherwise the code, its source map (chained onto `inputMap` or an inline
 * map) and the names woven. Never throws for the code's sake: problems are warnings (options.onWarning).
 */
export function weave(code: string, id: string, options?: WeaveCallOptions): WeaveResult | undefined {
  return weaveWithMagicString(code, id, options);
}

export { MARKER_RE } from './core/markers.js';
export { WeaveOptionsError } from './core/options.js';
export type { WeaveOptions, WeaveWarning } from './core/types.js';
export type { WeaveCallOptions, WeaveResult, WeaveSourceMap } from './result.js';
