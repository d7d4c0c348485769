import picomatch from 'picomatch';
import type { WeaveOptions, WeaveWarning } from './types.js';

export const DEFAULT_SPAN_TYPE = 'code.custom';
export const DEFAULT_RUNTIME = 'apm-weaver';

/** A `functions` rule, compiled: the file part (absent for "<name glob>") and the name part. */
export interface CompiledRule {
  source: string;
  matchesFile: ((id: string) => boolean) | undefined;
  matchesName: (qualifiedName: string) => boolean;
}

/** WeaveOptions with defaults applied and globs compiled once; front ends keep one per options object. */
export interface ResolvedWeaveOptions {
  markers: boolean;
  spanType: string;
  runtime: string;
  rules: CompiledRule[];
  /** include/exclude: is the file considered at all? */
  isFileIncluded: (id: string) => boolean;
  /** Does any rule apply to this file (a name-only rule applies to every file)? */
  hasRuleForFile: (id: string) => boolean;
  onWarning: ((warning: WeaveWarning) => void) | undefined;
}

/** Thrown for invalid options only: a configuration error is the one thing that may fail a build. */
export class WeaveOptionsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`[apm-weaver] ${message}`, options);
    this.name = 'WeaveOptionsError';
  }
}

/** The keys of WeaveOptions, for front ends whose options object carries more (plugin options, a tsconfig entry). */
export const WEAVE_OPTION_KEYS = [
  'include',
  'exclude',
  'functions',
  'markers',
  'spanType',
  'runtime',
  'onWarning',
] as const satisfies readonly (keyof WeaveOptions)[];

/** The WeaveOptions part of a larger options object: a fresh object with only the keys that are set. */
export function pickWeaveOptions(options: Record<string, unknown>): WeaveOptions {
  const picked: Record<string, unknown> = {};
  for (const key of WEAVE_OPTION_KEYS) {
    if (options[key] !== undefined) picked[key] = options[key];
  }
  return picked as WeaveOptions;
}

const resolvedCache = new WeakMap<WeaveOptions, ResolvedWeaveOptions>();

export function resolveWeaveOptions(options: WeaveOptions = {}): ResolvedWeaveOptions {
  const cached = resolvedCache.get(options);
  if (cached) return cached;
  if (options.markers !== undefined && typeof options.markers !== 'boolean') {
    throw new WeaveOptionsError('option "markers" must be true or false');
  }
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw new WeaveOptionsError('option "onWarning" must be a function');
  }
  const include = compileGlobs(options.include, 'include');
  const exclude = compileGlobs(options.exclude, 'exclude');
  const rules = compileRules(options.functions);
  const isFileIncluded = (id: string): boolean => {
    const paths = pathsToMatch(id);
    if (paths.length === 0) return false;
    const included = include ? paths.some(include) : !paths.some((p) => p.includes('/node_modules/'));
    return included && !(exclude && paths.some(exclude));
  };
  const resolved: ResolvedWeaveOptions = {
    markers: options.markers ?? true,
    spanType: nonEmptyString(options.spanType, 'spanType') ?? DEFAULT_SPAN_TYPE,
    runtime: nonEmptyString(options.runtime, 'runtime') ?? DEFAULT_RUNTIME,
    rules,
    isFileIncluded,
    hasRuleForFile: (id) => rules.some((rule) => !rule.matchesFile || rule.matchesFile(id)),
    onWarning: options.onWarning,
  };
  resolvedCache.set(options, resolved);
  return resolved;
}

function nonEmptyString(value: unknown, key: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new WeaveOptionsError(`option "${key}" must be a non-empty string`);
  return value;
}

function compileGlobs(globs: unknown, key: string): ((path: string) => boolean) | undefined {
  if (globs === undefined) return undefined;
  if (!Array.isArray(globs) || globs.some((g) => typeof g !== 'string' || g === '')) {
    throw new WeaveOptionsError(`option "${key}" must be an array of non-empty glob strings`);
  }
  if (globs.length === 0) return () => false;
  try {
    return picomatch(globs as string[], { dot: true });
  } catch (error) {
    throw new WeaveOptionsError(`option "${key}" has an invalid glob`, { cause: error });
  }
}

/**
 * Splits "<file glob>#<name glob>" at the first `#` that is not the `#` of a private name (`Class.#priv`, where it
 * follows a dot) and not the first character. Without such a `#`, the whole rule is a name glob.
 */
export function splitRule(rule: string): { fileGlob: string | undefined; nameGlob: string } {
  for (let i = 1; i < rule.length; i++) {
    if (rule[i] === '#' && rule[i - 1] !== '.')
      return { fileGlob: rule.slice(0, i), nameGlob: rule.slice(i + 1) };
  }
  return { fileGlob: undefined, nameGlob: rule };
}

function compileRules(rules: unknown): CompiledRule[] {
  if (rules === undefined) return [];
  // Options often come from JSON (tsconfig, apm-weaver.config.json): a lone string is a common slip.
  if (!Array.isArray(rules))
    throw new WeaveOptionsError('option "functions" must be an array of rule strings');
  return rules.map(compileRule);
}

function compileRule(rule: unknown): CompiledRule {
  if (typeof rule !== 'string' || rule === '') {
    throw new WeaveOptionsError('option "functions" must be an array of non-empty rule strings');
  }
  const { fileGlob, nameGlob } = splitRule(rule);
  if (nameGlob === '') throw new WeaveOptionsError(`rule "${rule}" has no name glob after "#"`);
  try {
    const fileMatcher = fileGlob === undefined ? undefined : picomatch(fileGlob, { dot: true });
    const nameMatcher = picomatch(nameGlob, { dot: true });
    return {
      source: rule,
      matchesFile: fileMatcher && ((id: string) => pathsToMatch(id).some((path) => fileMatcher(path))),
      matchesName: (name: string) => nameMatcher(name),
    };
  } catch (error) {
    throw new WeaveOptionsError(`rule "${rule}" has an invalid glob`, { cause: error });
  }
}

/**
 * The forms of a file id globs are matched against: the path relative to the working directory (what users write,
 * `src/**\/*.ts`) and the absolute path. Bundler query strings are dropped; virtual modules (`\0...`) match nothing.
 */
export function pathsToMatch(id: string): string[] {
  if (id.startsWith('\0')) return [];
  const path = id.replace(/\?.*$/, '').replace(/\\/g, '/');
  const cwd = typeof process !== 'undefined' && process.cwd ? process.cwd().replace(/\\/g, '/') : '';
  if (cwd && path.startsWith(`${cwd}/`)) return [path.slice(cwd.length + 1), path];
  return [path];
}
