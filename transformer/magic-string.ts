import type * as t from '@babel/types';
import MagicString from 'magic-string';
import { extractCandidates } from './babel/extract.js';
import { parseForWeaving } from './babel/parse.js';
import {
  mightWeave,
  planWeave,
  renderPreamble,
  renderWrap,
  reportWarnings,
  resolveWeaveOptions,
} from './core/index.js';
import type { ResolvedWeaveOptions } from './core/options.js';
import type { WeavePlan } from './core/types.js';
import type { WeaveCallOptions, WeaveResult, WeaveSourceMap } from './result.js';
import { chainSourceMaps, findInlineSourceMap } from './source-map.js';

/**
 * Weaves one file by text edits over a Babel parse: insertions only, so every original token keeps its position
 * in the (hires) source map. Undefined when nothing is woven: the file is untouched.
 */
export function weaveWithMagicString(
  code: string,
  id: string,
  options: WeaveCallOptions = {},
): WeaveResult | undefined {
  const resolved = resolveWeaveOptions(options);
  if (!mightWeave(code, id, resolved)) return undefined;
  try {
    return weaveParsed(code, id, options, resolved);
  } catch (error) {
    // A bug of ours must not fail the user's build: the file stays as it was, and the warning says why.
    reportWarnings(
      [{ file: id, line: 1, column: 0, message: `not woven, internal error: ${String(error)}` }],
      resolved,
    );
    return undefined;
  }
}

function weaveParsed(
  code: string,
  id: string,
  options: WeaveCallOptions,
  resolved: ResolvedWeaveOptions,
): WeaveResult | undefined {
  const parsed = parseForWeaving(code, id);
  if (!parsed.ok) {
    reportWarnings(
      [{ file: id, line: parsed.line, column: parsed.column, message: parsed.message }],
      resolved,
    );
    return undefined;
  }
  const extraction = extractCandidates(parsed.ast);
  const plan = planWeave({ code, id, ...extraction }, resolved);
  reportWarnings(plan.warnings, resolved);
  if (plan.functions.length === 0) return undefined;

  const s = new MagicString(code);
  insertPreamble(s, code, parsed.ast.program, plan);
  for (const fn of plan.functions)
    wrapBody(s, code, extraction.nodes.get(fn.candidate) as t.Function, renderWrap(fn, plan));

  const inline = options.inputMap === undefined ? findInlineSourceMap(code) : undefined;
  if (inline) s.remove(inline.start, inline.end);
  const map = s.generateMap({ hires: true, source: id, includeContent: true });
  const ownMap: WeaveSourceMap = { ...map, version: 3, sourcesContent: map.sourcesContent ?? [code] };
  return {
    code: s.toString(),
    map: chainSourceMaps(ownMap, options.inputMap ?? inline?.map),
    woven: plan.functions.map((fn) => fn.qualifiedName),
  };
}

/** Runtime import and hoisted specs go after the hashbang and the directive prologue, which must stay first. */
function insertPreamble(s: MagicString, code: string, program: t.Program, plan: WeavePlan): void {
  const preamble = renderPreamble(plan);
  const lastDirective = program.directives.at(-1);
  const at = lastDirective?.end ?? program.interpreter?.end ?? 0;
  if (at === 0) {
    s.prependLeft(0, `${preamble}\n`);
    return;
  }
  const separator = lastDirective && !code.slice(0, at).endsWith(';') ? ';' : '';
  s.appendLeft(at, `${separator}\n${preamble}`);
}

/**
 * Outer functions are planned before the functions nested in them: an opening text goes after any text already
 * opened at the same place (appendRight), a closing text before any already closed there (prependLeft).
 */
function wrapBody(
  s: MagicString,
  code: string,
  node: t.Function,
  wrap: { open: string; close: string },
): void {
  const body = node.body;
  if (body.type !== 'BlockStatement') {
    const start = (body.extra?.parenStart as number | undefined) ?? body.start ?? 0;
    s.appendRight(start, wrap.open);
    s.prependLeft(node.end ?? 0, wrap.close);
    return;
  }
  const lastDirective = body.directives.at(-1);
  const openAt = lastDirective?.end ?? (body.start ?? 0) + 1;
  const separator = lastDirective && !code.slice(0, openAt).endsWith(';') ? ';' : '';
  const closeAt = (body.end ?? 0) - 1;
  if (openAt >= closeAt) {
    // An empty body (or one holding only directives): both texts land on one offset, and separate inserts
    // there would put the closing text first. Nothing can be nested inside, so insert them as one.
    s.appendRight(openAt, separator + wrap.open + wrap.close);
    return;
  }
  s.appendRight(openAt, separator + wrap.open);
  s.prependLeft(closeAt, wrap.close);
}
