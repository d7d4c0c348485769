// The core's public surface for front ends (magic-string, Babel, TypeScript). Named exports only.

export { chooseIdentifierPrefix, chooseModuleKind, IDENTIFIER_PREFIX } from './identifiers.js';
export type { MarkerOptions, ParsedMarker } from './markers.js';
export { MARKER_RE, parseMarker, parseMarkerOptions, specFromMarker } from './markers.js';
export { ANONYMOUS_SPAN_NAME, qualifiedName } from './names.js';
export type { CompiledRule, ResolvedWeaveOptions } from './options.js';
export {
  DEFAULT_RUNTIME,
  DEFAULT_SPAN_TYPE,
  pathsToMatch,
  resolveWeaveOptions,
  splitRule,
  WeaveOptionsError,
} from './options.js';
export { planWeave, wrapShape } from './plan.js';
export { ALREADY_WOVEN_RE, isAlreadyWoven, mightWeave, SPAN_MARKER_TEXT } from './precheck.js';
export { renderPreamble, renderRuntimeImport, renderSpanArgs, renderWrap } from './render.js';
export type {
  AsyncLocals,
  CandidateFunction,
  FunctionKind,
  ModuleSyntax,
  NameParts,
  RuntimeIdentifiers,
  RuntimeImport,
  SourceComment,
  SourcePoint,
  SpanSpecArgs,
  WeaveInput,
  WeaveOptions,
  WeavePlan,
  WeaveWarning,
  WovenFunction,
  WrapShape,
} from './types.js';
export { formatWarning, reportWarnings } from './warnings.js';
