import { commentsByFollowingToken, leadingComments } from './attach.js';
import {
  asyncLocals,
  chooseIdentifierPrefix,
  chooseModuleKind,
  runtimeIdentifiers,
  specVariable,
} from './identifiers.js';
import { type MarkerOptions, type ParsedMarker, parseMarker, specFromMarker } from './markers.js';
import { ANONYMOUS_SPAN_NAME, qualifiedName } from './names.js';
import type { ResolvedWeaveOptions } from './options.js';
import type {
  AsyncLocals,
  CandidateFunction,
  RuntimeImport,
  SourceComment,
  WeaveInput,
  WeavePlan,
  WeaveWarning,
  WovenFunction,
  WrapShape,
} from './types.js';

/**
 * Decides, for every candidate of a file, whether and how it is woven, and collects the warnings: markers before
 * nothing weavable, functions selected but unweavable, marker options not understood. Pure: no I/O, no reporting.
 */
export function planWeave(input: WeaveInput, options: ResolvedWeaveOptions): WeavePlan {
  const prefix = chooseIdentifierPrefix(input.code);
  const identifiers = runtimeIdentifiers(prefix);
  const warnings: WeaveWarning[] = [];
  const warn = (at: { line: number; column: number }, message: string) =>
    warnings.push({ file: input.id, line: at.line, column: at.column, message });

  const markers = options.markers ? findMarkers(input.comments) : new Map<SourceComment, ParsedMarker>();
  // All comments: a marker may be followed by other comments (eslint, JSDoc) before the function.
  const byToken = commentsByFollowingToken(input.code, input.comments);
  const claimed = new Set<SourceComment>();
  const functions: WovenFunction[] = [];
  const candidates = [...input.candidates].sort((a, b) => a.start.offset - b.start.offset);

  for (const candidate of candidates) {
    const own = leadingComments(candidate, byToken);
    for (const comment of own) claimed.add(comment);
    const selection = select(candidate, own, markers, input.id, options);
    if (!selection) continue;
    const name = qualifiedName(candidate.name);
    const label = name ?? 'anonymous function';
    if (selection.markerComment) for (const p of selection.problems) warn(selection.markerComment, p);
    const reason = unweavableReason(candidate);
    if (reason) {
      // A rule like "**" matches every overload signature and abstract member: that is no news to the user.
      if (selection.byMarker || candidate.hasBody) warn(candidate.start, `cannot weave ${label}: ${reason}`);
      continue;
    }
    const shape = wrapShape(candidate);
    const index = functions.length;
    functions.push({
      candidate,
      qualifiedName: name ?? ANONYMOUS_SPAN_NAME,
      shape,
      specVar: specVariable(prefix, index),
      spec: specFromMarker(selection.marker, name ?? ANONYMOUS_SPAN_NAME, options.spanType),
      ...(shape === 'asyncCall'
        ? { asyncLocals: asyncLocals(prefix, index, [name, candidate.name.name]) }
        : {}),
    });
  }

  for (const [comment, marker] of markers) {
    if (claimed.has(comment)) continue;
    warn(comment, `@apm-${marker.kind} does not stand right before a function; nothing woven here`);
  }
  warnings.sort((a, b) => a.line - b.line || a.column - b.column);

  return {
    functions,
    identifiers,
    warnings,
    runtimeImport: runtimeImport(input, options, identifiers, functions),
  };
}

function findMarkers(comments: readonly SourceComment[]): Map<SourceComment, ParsedMarker> {
  const found = new Map<SourceComment, ParsedMarker>();
  for (const comment of comments) {
    const marker = parseMarker(comment.text);
    if (marker) found.set(comment, marker);
  }
  return found;
}

interface Selection {
  byMarker: boolean;
  marker?: MarkerOptions;
  markerComment?: SourceComment;
  /** Marker options not understood, reported at the marker comment. */
  problems: string[];
}

function select(
  candidate: CandidateFunction,
  own: readonly SourceComment[],
  markers: ReadonlyMap<SourceComment, ParsedMarker>,
  id: string,
  options: ResolvedWeaveOptions,
): Selection | undefined {
  const parsed = own.map((comment) => ({ comment, marker: markers.get(comment) }));
  if (parsed.some((p) => p.marker?.kind === 'ignore')) return undefined;
  // The marker nearest the function wins when several stand before it.
  const span = parsed.filter((p) => p.marker?.kind === 'span').at(-1);
  if (span?.marker) {
    return {
      byMarker: true,
      marker: span.marker.options,
      markerComment: span.comment,
      problems: span.marker.problems,
    };
  }
  const name = qualifiedName(candidate.name);
  if (name === undefined) return undefined;
  const matched = options.rules.some(
    (rule) => (!rule.matchesFile || rule.matchesFile(id)) && rule.matchesName(name),
  );
  return matched ? { byMarker: false, problems: [] } : undefined;
}

function unweavableReason(candidate: CandidateFunction): string | undefined {
  if (!candidate.hasBody) return 'it has no body (overload signature, abstract or declare)';
  if (candidate.unsupported) return candidate.unsupported;
  if (candidate.isGenerator && candidate.usesSuper) {
    return 'it is a generator whose body uses super, which an inner generator cannot reach';
  }
  if (candidate.redeclaredName !== undefined) {
    return `its body redeclares "${candidate.redeclaredName}" with var or function, which would be a new binding inside the wrapper`;
  }
  return undefined;
}

export function wrapShape(candidate: CandidateFunction): WrapShape {
  if (candidate.isGenerator) return candidate.isAsync ? 'asyncGenerator' : 'generator';
  return candidate.isAsync ? 'asyncCall' : 'call';
}

function runtimeImport(
  input: WeaveInput,
  options: ResolvedWeaveOptions,
  identifiers: WeavePlan['identifiers'],
  functions: readonly WovenFunction[],
): RuntimeImport {
  const shapes = new Set(functions.map((f) => f.shape));
  const bindings: RuntimeImport['bindings'] = [];
  if (functions.length > 0) bindings.push({ imported: 'defineSpan', local: identifiers.define });
  if (shapes.has('call')) bindings.push({ imported: 'wovenCall', local: identifiers.call });
  if (shapes.has('asyncCall')) bindings.push({ imported: 'wovenAsyncCall', local: identifiers.asyncCall });
  if (shapes.has('generator')) bindings.push({ imported: 'wovenGenerator', local: identifiers.generator });
  if (shapes.has('asyncGenerator')) {
    bindings.push({ imported: 'wovenAsyncGenerator', local: identifiers.asyncGenerator });
  }
  return { specifier: options.runtime, moduleKind: chooseModuleKind(input.id, input.moduleSyntax), bindings };
}

/** The local names of a woven async function (shape 'asyncCall'), which the plan gives every such function. */
export function asyncLocalsOf(fn: WovenFunction): AsyncLocals {
  if (fn.asyncLocals === undefined) throw new Error(`${fn.qualifiedName}: async shape without its locals`);
  return fn.asyncLocals;
}
