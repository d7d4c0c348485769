import type { AsyncLocals, ModuleSyntax, RuntimeIdentifiers } from './types.js';

/** Woven code's identifiers start with this; a numbered variant is used when the file already has such names. */
export const IDENTIFIER_PREFIX = '__apm';

/**
 * Picks a prefix no identifier in the file starts with: `__apm`, else `__apm1_`, `__apm2_`, ...
 * Checking the raw text is conservative (a string or comment mentioning `__apm` also moves us on), never wrong.
 */
export function chooseIdentifierPrefix(code: string): string {
  if (!code.includes(IDENTIFIER_PREFIX)) return IDENTIFIER_PREFIX;
  for (let n = 1; ; n++) {
    const prefix = `${IDENTIFIER_PREFIX}${n}_`;
    if (!code.includes(prefix)) return prefix;
  }
}

export function runtimeIdentifiers(prefix: string): RuntimeIdentifiers {
  return {
    define: `${prefix}Define`,
    call: `${prefix}Call`,
    generator: `${prefix}Gen`,
    asyncGenerator: `${prefix}AsyncGen`,
    asyncCall: `${prefix}Async`,
  };
}

export function specVariable(prefix: string, index: number): string {
  return `${prefix}S${index}`;
}

/**
 * Numbered like the spec variable, so that a woven async function nested in another's body declares another name.
 * The body's name `<prefix>B<n>$<name>` is what runtime/stack.ts recognises: before the body's first await it
 * folds the body's frame into the woven function's, after it (no frame of the woven function is left then) it
 * reports the name kept here: the qualified name (`Cart.checkout` kept as `Cart$$checkout`), else the function's
 * own name, else nothing (`#priv`, string keys, names that `$$` could not carry unambiguously).
 */
export function asyncLocals(
  prefix: string,
  index: number,
  names: readonly (string | undefined)[],
): AsyncLocals {
  const kept = names.find((name) => name !== undefined && CARRIED_NAME.test(name));
  return { body: `${prefix}B${index}$${kept?.replaceAll('.', '$$$$') ?? ''}` };
}

/** Dotted identifiers whose parts neither start nor end with `$` nor hold `$$`: `.` <-> `$$` is then one to one. */
const CARRIED_NAME = /^(?!.*\$\$)(?!.*(?:^|\.)\$)(?!.*\$(?:\.|$))[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/**
 * ESM `import` or CommonJS `require`, matching the file: the extension decides when it can (.mjs/.mts, .cjs);
 * otherwise ESM syntax wins, then CommonJS usage (`require`, `module.exports`), and ESM is the default.
 */
export function chooseModuleKind(id: string, syntax: ModuleSyntax): 'esm' | 'cjs' {
  const path = id.replace(/\?.*$/, '');
  if (/\.c[jt]s$/.test(path) && !(path.endsWith('.cts') && syntax.hasEsmSyntax)) return 'cjs';
  if (/\.m[jt]s$/.test(path) || syntax.hasEsmSyntax) return 'esm';
  return syntax.hasCjsSyntax ? 'cjs' : 'esm';
}
