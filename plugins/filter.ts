import type { TransformHookFilter } from 'unplugin';
import { splitRule } from '../transformer/core/options.js';
import { SPAN_MARKER_TEXT } from '../transformer/core/precheck.js';
import type { WeaveOptions } from '../transformer/core/types.js';

/** Files the weaver can parse: JavaScript and TypeScript, in every module flavour, with or without JSX. */
export const SCRIPT_ID_RE = /\.[cm]?[jt]sx?$/;

const NODE_MODULES_RE = /[\\/]node_modules[\\/]/;
const VIRTUAL_ID_RE = /^\0/;

/** Glob syntax whose literal parts are alternatives or negations, not text that must appear. */
const NON_LITERAL_GLOB_RE = /[{}()[\]!|+@]/;

/**
 * The `{ id, code }` filter handed to the bundler, so files that cannot have anything to weave are skipped before our
 * hook runs (natively in Rolldown, Vite and Rollup >= 4.40; by unplugin elsewhere). It is a necessary condition only:
 * `weave` makes the exact decision. Returns undefined when nothing can ever be woven (markers off, no rules).
 */
export function transformHookFilter(
  options: WeaveOptions,
  extraExclude: string[] = [],
): TransformHookFilter | undefined {
  const markers = options.markers ?? true;
  const rules = options.functions ?? [];
  if (!markers && rules.length === 0) return undefined;
  const exclude: Array<string | RegExp> = [VIRTUAL_ID_RE, ...extraExclude, ...(options.exclude ?? [])];
  if (!options.include) exclude.push(NODE_MODULES_RE);
  const filter: TransformHookFilter = {
    id: { include: options.include ? [...options.include] : [SCRIPT_ID_RE], exclude },
  };
  const code = codeFilter(markers, rules);
  if (code) filter.code = code;
  return filter;
}

/**
 * Text that any file with something to weave must contain: the marker, or for each rule a literal piece of its name
 * glob (a function named `OrderService.load` has `OrderService` in its source). A rule whose name glob has no such
 * piece (`*`, `{a,b}*`) means any file may match, so there is no code filter at all.
 */
export function codeFilter(markers: boolean, rules: readonly string[]): RegExp | undefined {
  const needles = markers ? [SPAN_MARKER_TEXT] : [];
  for (const rule of rules) {
    const literal = requiredLiteral(splitRule(rule).nameGlob);
    if (literal === undefined) return undefined;
    needles.push(literal);
  }
  return needles.length > 0 ? new RegExp([...new Set(needles)].map(escapeRegExp).join('|')) : undefined;
}

/** The longest identifier run a name glob requires, or undefined when it requires none. */
export function requiredLiteral(nameGlob: string): string | undefined {
  if (NON_LITERAL_GLOB_RE.test(nameGlob)) return undefined;
  // Numeric keys are named by value (`0x10` is "16"), so a digits-only run need not appear as written.
  const runs = nameGlob.split(/[^\w$]+/).filter((run) => run !== '' && !/^\d+$/.test(run));
  return runs.sort((a, b) => b.length - a.length)[0];
}

/** The same test as the id filter, for hosts without hook filters (the `--import` hook). */
export function isScriptId(id: string): boolean {
  return SCRIPT_ID_RE.test(id.replace(/\?.*$/, '')) && !VIRTUAL_ID_RE.test(id);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
