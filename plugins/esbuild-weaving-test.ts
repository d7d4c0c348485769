import { resolveWeaveOptions, splitRule } from '../transformer/core/options.js';
import { SPAN_MARKER_TEXT } from '../transformer/core/precheck.js';
import type { WeaveOptions } from '../transformer/core/types.js';
import type { ContentTest, WeavingTest } from './esbuild-scan.js';
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
  // The text every file is searched for, whatever its path: the marker and the names of rules for every file.
  const everywhere = rules.flatMap((rule) => (!rule.matchesFile && rule.needle ? [rule.needle] : []));
  if (resolved.markers) everywhere.unshift(Buffer.from(SPAN_MARKER_TEXT));
  const byPath = rules.filter((rule) => rule.matchesFile);
  // The path is tested after the contents: picomatch costs about as much as reading a small file, and most files
  // are dropped by the string search already.
  const included = (contains: (content: Buffer) => boolean): ContentTest => {
    return (content, file) => contains(content) && resolved.isFileIncluded(file);
  };
  // Without rules for some files only, every file gets the same test: nothing is made per file (the scan runs once
  // per build over every script, mostly before the JIT has warmed up to it).
  const shared = everywhere.length > 0 ? included(containsAny(everywhere)) : undefined;
  if (byPath.length === 0) return () => shared ?? false;
  return (file) => {
    const needles = [...everywhere];
    for (const rule of byPath) {
      if (!rule.matchesFile?.(file)) continue;
      if (!rule.needle) return resolved.isFileIncluded(file);
      needles.push(rule.needle);
    }
    if (needles.length === 0) return false;
    return needles.length === everywhere.length && shared ? shared : included(containsAny(needles));
  };
}

function containsAny(needles: readonly Buffer[]): (content: Buffer) => boolean {
  const [only] = needles;
  if (needles.length === 1 && only) return (content) => content.includes(only);
  return (content) => needles.some((needle) => content.includes(needle));
}
