import remapping from '@jridgewell/remapping';
import type { WeaveSourceMap } from './result.js';

/** The last `//# sourceMappingURL=data:application/json;base64,...` comment of a file. */
export const INLINE_SOURCE_MAP_RE =
  /\/\/[#@] sourceMappingURL=data:application\/json(?:;charset=[\w-]+)?;base64,([A-Za-z0-9+/=]+)[ \t]*(?:\r?\n|$)/g;

export interface InlineSourceMap {
  map: WeaveSourceMap;
  start: number;
  end: number;
}

/** Finds and decodes the inline source map; an undecodable one is ignored (the woven map then starts at this file). */
export function findInlineSourceMap(code: string): InlineSourceMap | undefined {
  let last: RegExpExecArray | undefined;
  for (const match of code.matchAll(INLINE_SOURCE_MAP_RE)) last = match as RegExpExecArray;
  if (!last) return undefined;
  try {
    const map = JSON.parse(Buffer.from(last[1] ?? '', 'base64').toString('utf8')) as WeaveSourceMap;
    if (typeof map.mappings !== 'string') return undefined;
    return { map, start: last.index, end: last.index + last[0].length };
  } catch {
    return undefined;
  }
}

/** Chains the weave's map onto the map of the code it received, so positions lead back to the first source. */
export function chainSourceMaps(
  woven: WeaveSourceMap,
  input: WeaveSourceMap | string | undefined,
): WeaveSourceMap {
  if (input === undefined) return woven;
  const inputMap = typeof input === 'string' ? (JSON.parse(input) as WeaveSourceMap) : input;
  const chained = remapping([woven, inputMap] as Parameters<typeof remapping>[0], () => null);
  return JSON.parse(chained.toString()) as WeaveSourceMap;
}
