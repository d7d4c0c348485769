// Field limits and sanitising of user data (../shared/spec/AGENT-RULES.md sections 1 and 11):
// keyword truncation, label keys and values, and a bounded, cycle-safe copy of custom context.

export const KEYWORD_MAX = 1024;
const ELLIPSIS = '…';

/** Cuts a string to `max` characters, the last kept one replaced by `…`. */
export function truncate(value: string, max: number = KEYWORD_MAX): string {
  return value.length > max ? value.slice(0, max - 1) + ELLIPSIS : value;
}

/** String(value), or undefined when that throws (a hostile toString, a revoked Proxy). */
export function toText(value: unknown): string | undefined {
  try {
    return String(value);
  } catch {
    return undefined;
  }
}

export type LabelValue = string | number | boolean;
export type Labels = Record<string, LabelValue>;

/** The server rewrites `.`, `*` and `"` in label keys; doing it here keeps what we send what is stored. */
export function sanitizeLabelKey(key: string): string {
  return truncate(key.replace(/[.*"]/g, '_'));
}

/** Returns the label value to send, or undefined when the value has no valid label form. */
export function labelValue(value: unknown): LabelValue | undefined {
  if (typeof value === 'string') return truncate(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
}

/** Copies valid labels into `into` (dict.update semantics); invalid ones are reported through `warn`. */
export function mergeLabels(into: Labels, labels: unknown, warn: (message: string) => void): Labels {
  if (labels === null || typeof labels !== 'object') {
    if (labels !== undefined) warn(`labels must be an object, got ${typeof labels}; ignored`);
    return into;
  }
  let keys: string[];
  try {
    keys = Object.keys(labels);
  } catch {
    warn('labels could not be read; ignored');
    return into;
  }
  for (const key of keys) {
    let raw: unknown;
    try {
      raw = (labels as Record<string, unknown>)[key];
    } catch {
      raw = undefined;
    }
    const value = labelValue(raw);
    if (value === undefined) {
      warn(
        `label ${JSON.stringify(key)} has a ${raw === null ? 'null' : typeof raw} value; only strings, finite numbers and booleans are kept`,
      );
    } else {
      into[sanitizeLabelKey(key)] = value;
    }
  }
  return into;
}

export function sanitizeLabels(labels: unknown, warn: (message: string) => void): Labels {
  return mergeLabels({}, labels, warn);
}

const MAX_DEPTH = 8;
const MAX_ENTRIES = 200;
const MAX_NODES = 5000;

/**
 * A JSON-safe copy of arbitrary user data: cycles become "[Circular]", depth, breadth and total size are
 * bounded, strings are cut at `maxString`, and getters that throw do not escape.
 */
export function safeJson(value: unknown, maxString: number = 10_000): unknown {
  const budget = { nodes: MAX_NODES };
  return copy(value, 0, new Set<object>(), budget, maxString);
}

function copy(
  value: unknown,
  depth: number,
  seen: Set<object>,
  budget: { nodes: number },
  maxString: number,
): unknown {
  if (--budget.nodes < 0) return '[Truncated]';
  switch (typeof value) {
    case 'string':
      return truncate(value, maxString);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function ${value.name || 'anonymous'}]`;
    case 'undefined':
      return null;
  }
  if (value === null) return null;
  const object = value as object;
  if (seen.has(object)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Object]';
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      const out = object.slice(0, MAX_ENTRIES).map((v) => copy(v, depth + 1, seen, budget, maxString));
      if (object.length > MAX_ENTRIES) out.push(`[${object.length - MAX_ENTRIES} more]`);
      return out;
    }
    const out: Record<string, unknown> = {};
    const keys = object instanceof Error ? ['name', 'message', ...Object.keys(object)] : Object.keys(object);
    let count = 0;
    for (const key of keys) {
      if (++count > MAX_ENTRIES) {
        out['…'] = `${keys.length - MAX_ENTRIES} more keys`;
        break;
      }
      let v: unknown;
      try {
        v = (object as Record<string, unknown>)[key];
      } catch {
        v = '[Throws]';
      }
      out[truncate(key)] = copy(v, depth + 1, seen, budget, maxString);
    }
    return out;
  } catch {
    return '[Unreadable]';
  } finally {
    seen.delete(object);
  }
}
