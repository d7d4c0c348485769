import type { ResolvedWeaveOptions } from './options.js';

/** The marker text the cheap pre-check looks for before any parse. */
export const SPAN_MARKER_TEXT = '@apm-span';

/**
 * The runtime import every woven file carries (`defineSpan as __apmDefine` in ESM, `defineSpan: __apmDefine` in a
 * CommonJS destructuring): its presence means the file was woven already, and weaving again must change nothing.
 */
export const ALREADY_WOVEN_RE = /\bdefineSpan\s*(?:as\s+|:\s*)__apm\w*Define\b/;

export function isAlreadyWoven(code: string): boolean {
  return ALREADY_WOVEN_RE.test(code);
}

/**
 * The cheap test before parsing: the file is included, not woven yet, and has a marker or a rule that could select
 * something in it. False means: return undefined, the file is untouched.
 */
export function mightWeave(code: string, id: string, options: ResolvedWeaveOptions): boolean {
  if (!options.isFileIncluded(id)) return false;
  const hasMarker = options.markers && code.includes(SPAN_MARKER_TEXT);
  if (!hasMarker && !options.hasRuleForFile(id)) return false;
  return !isAlreadyWoven(code);
}
