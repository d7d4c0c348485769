import type { NameParts } from './types.js';

/**
 * The qualified name rules and span names use (DESIGN.md "Qualified names"): `fn`, `Class.method`, `Class.#priv`,
 * `get Class.prop`, `set Class.prop`, `obj.method`. Static members read like instance members. Undefined when the
 * function has no name of its own (anonymous callbacks, non-literal computed keys).
 */
export function qualifiedName(parts: NameParts): string | undefined {
  if (parts.name === undefined || parts.name === '') return undefined;
  const base = parts.owner ? `${parts.owner}.${parts.name}` : parts.name;
  return parts.accessor ? `${parts.accessor} ${base}` : base;
}

/** The span name of a marker-selected function that has no name and whose marker gives none. */
export const ANONYMOUS_SPAN_NAME = '<anonymous>';
