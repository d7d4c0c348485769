import type { SpanSpecArgs } from './types.js';

/**
 * A marker inside a comment's text: `@apm-span` or `@apm-ignore`, then the rest of that line (the options).
 * Works for line comments, block comments and JSDoc tags (the text of a JSDoc line after ` * `).
 * The name must not run on (`@apm-spanner` is not a marker), and the `@` must start a word.
 */
export const MARKER_RE = /(?:^|[^\w@$-])@apm-(span|ignore)(?![\w-])([^\r\n]*)/;

/** One `key=value`, `key="quoted value"`, `key='quoted'` or bare `flag` token of the marker options. */
const OPTION_TOKEN_RE = /\s*([A-Za-z_][\w.-]*)(?:=("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s"']+))?/y;

export interface MarkerOptions {
  name?: string;
  type?: string;
  leaf?: boolean;
  labels?: Record<string, string | number | boolean>;
}

export interface ParsedMarker {
  kind: 'span' | 'ignore';
  options: MarkerOptions;
  /** Options that were not understood (reported as warnings; the marker still applies). */
  problems: string[];
}

/** Finds the marker in a comment's text, or undefined when the comment has none. */
export function parseMarker(commentText: string): ParsedMarker | undefined {
  const match = MARKER_RE.exec(commentText);
  if (!match) return undefined;
  const kind = match[1] === 'ignore' ? 'ignore' : 'span';
  const { options, problems } = parseMarkerOptions(stripJsdocTail(match[2] ?? ''));
  return { kind, options, problems: kind === 'ignore' ? [] : problems };
}

/** A block comment written on one line may end in stray `*` characters from `/** ... **\/`. */
function stripJsdocTail(text: string): string {
  return text.replace(/\*+\s*$/, '').trim();
}

export function parseMarkerOptions(text: string): { options: MarkerOptions; problems: string[] } {
  const options: MarkerOptions = {};
  const problems: string[] = [];
  let index = 0;
  while (index < text.length) {
    OPTION_TOKEN_RE.lastIndex = index;
    const token = OPTION_TOKEN_RE.exec(text);
    if (!token || token[0].trim() === '') {
      const rest = text.slice(index).trim();
      if (rest) problems.push(`unrecognised marker text "${rest}"`);
      break;
    }
    index = OPTION_TOKEN_RE.lastIndex;
    applyOption(options, problems, token[1] ?? '', token[2]);
  }
  return { options, problems };
}

function applyOption(options: MarkerOptions, problems: string[], key: string, raw: string | undefined): void {
  const quoted = raw !== undefined && /^["']/.test(raw);
  const value = raw === undefined ? undefined : quoted ? unquote(raw) : raw;
  if (key === 'name' || key === 'type') {
    if (value === undefined || value === '') problems.push(`marker option "${key}" needs a value`);
    else options[key] = value;
  } else if (key === 'leaf') {
    if (value === undefined || value === 'true') options.leaf = true;
    else if (value === 'false') options.leaf = false;
    else problems.push(`marker option "leaf" takes no value, or true/false (got "${value}")`);
  } else if (key.startsWith('label.') && key.length > 'label.'.length) {
    if (value === undefined) problems.push(`marker option "${key}" needs a value`);
    else {
      options.labels ??= {};
      options.labels[key.slice('label.'.length)] = quoted ? value : typedLabelValue(value);
    }
  } else {
    problems.push(`unknown marker option "${key}"`);
  }
}

function unquote(raw: string): string {
  return raw.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** Bare `true`, `false` and decimal numbers become booleans and numbers (Elastic labels allow them); the rest stays text. */
function typedLabelValue(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d+(?:\.\d+)?$/.test(value) && Number.isFinite(Number(value))) return Number(value);
  return value;
}

/** Builds the `defineSpan` arguments from the marker options, the qualified name and the default type. */
export function specFromMarker(
  options: MarkerOptions | undefined,
  qualifiedName: string,
  defaultType: string,
): SpanSpecArgs {
  const spec: SpanSpecArgs = { name: options?.name ?? qualifiedName, type: options?.type ?? defaultType };
  const extra: NonNullable<SpanSpecArgs['options']> = {};
  if (options?.leaf !== undefined) extra.leaf = options.leaf;
  if (options?.labels) extra.labels = { ...options.labels };
  if (Object.keys(extra).length > 0) spec.options = extra;
  return spec;
}
