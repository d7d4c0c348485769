// Safe readers for intake v2 objects. Events come from the network: any field may be missing,
// null, of the wrong type or hostile, so every read is checked and nothing here throws.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(source: unknown, key: string): JsonObject | undefined {
  if (!isObject(source)) return undefined;
  const value = source[key];
  return isObject(value) ? value : undefined;
}

/** A string field, or undefined when absent or not a string (numbers are not coerced: ids must be strings). */
export function stringAt(source: unknown, key: string): string | undefined {
  if (!isObject(source)) return undefined;
  const value = source[key];
  return typeof value === 'string' ? value : undefined;
}

/** A finite number field, or undefined. */
export function numberAt(source: unknown, key: string): number | undefined {
  if (!isObject(source)) return undefined;
  const value = source[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function arrayAt(source: unknown, key: string): unknown[] | undefined {
  if (!isObject(source)) return undefined;
  const value = source[key];
  return Array.isArray(value) ? value : undefined;
}

/** Reads a nested string along a path: `stringPath(meta, 'service', 'name')`. */
export function stringPath(source: unknown, ...path: string[]): string | undefined {
  let current: unknown = source;
  for (const key of path.slice(0, -1)) current = objectAt(current, key);
  const last = path[path.length - 1];
  return last === undefined ? undefined : stringAt(current, last);
}

// C0 and C1 control characters (ESC among them) would let a payload move the cursor or recolour the
// terminal; the text renderer shows them as U+FFFD instead.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

export function printable(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '\uFFFD');
}

/** Shortens text to `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  if (max <= 0) return '';
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
