import { resolveWeaveOptions, splitRule } from '../transformer/core/options.js';
import { SPAN_MARKER_TEXT } from '../transformer/core/precheck.js';
import type { WeaveOptions } from '../transformer/core/types.js';
import type { WeavingTest } from './esbuild-scan.js';
import { requiredLiteral } from './filter.js';

/**
 * The scan's test of one file, from the same options `weave` gets: a necessary condition for weaving, as cheap as
 * the transformer's own pre-check. The file must be included, and contain the marker, or be in a rule's files and
 * contain the text the rule's name requires (see `requiredLiteral`); a rule that requires no text selects by path.
 * Undefined when a rule for every file requires no text: then every included file may need weaving.
 */
export function weavingTest(options: WeaveOptions): WeavingTest | undefined {
  const resolved = resolveWeaveOptions(options);
  const rules = resolved.rules.map((rule) => {
    const literal = requiredLiteral(splitRule(rule.source).nameGlob);
    return {
      matchesFile: rule.matchesFile,
      needle: literal === undefined ? undefined : Buffer.from(literal),
    };
  });
  if (rules.some((rule) => !rule.matchesFile && !rule.needle)) return undefined;
  const marker = resolved.markers ? Buffer.from(SPAN_MARKER_TEXT) : undefined;
  // The path is tested after the contents: picomatch costs about as much as reading a small file, and most files
  // are dropped by the string search already.
  return (file) => {
    const needles = marker ? [marker] : [];
    for (const rule of rules) {
      if (rule.matchesFile && !rule.matchesFile(file)) continue;
      if (!rule.needle) return resolved.isFileIncluded(file);
      needles.push(rule.needle);
    }
    if (needles.length === 0) return false;
    return (content) => needles.some((needle) => content.includes(needle)) && resolved.isFileIncluded(file);
  };
}
