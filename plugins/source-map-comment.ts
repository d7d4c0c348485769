import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { WeaveSourceMap } from '../transformer/index.js';

/** The last `//# sourceMappingURL=...` (or `/*# ... *\/`) comment of a file, as compilers write it. */
const SOURCE_MAPPING_URL_RE = /(?:\/\/|\/\*)[#@]\s*sourceMappingURL=([^\s*]+)\s*(?:\*\/)?\s*$/;

type RawSourceMap = WeaveSourceMap & { sourceRoot?: string };

/**
 * The map an earlier compiler (tsc, Babel) left for this file, inline or beside it, so the woven map can chain onto
 * it and stack frames land in the original source. Undefined when there is none or it cannot be read.
 */
export function readInputSourceMap(code: string, filename: string): WeaveSourceMap | undefined {
  const url = SOURCE_MAPPING_URL_RE.exec(code.trimEnd())?.[1];
  if (!url) return undefined;
  try {
    const inline = /^data:application\/json[^,]*?(;base64)?,(.*)$/s.exec(url);
    const text = inline
      ? inline[1]
        ? Buffer.from(inline[2] ?? '', 'base64').toString('utf8')
        : decodeURIComponent(inline[2] ?? '')
      : readFileSync(resolve(dirname(filename), decodeURIComponent(url)), 'utf8');
    const map = JSON.parse(text) as RawSourceMap;
    if (!inline) map.sources = map.sources.map((source) => resolveSource(source, map.sourceRoot, filename));
    delete map.sourceRoot;
    return map;
  } catch {
    return undefined;
  }
}

/** A map file's sources are relative to the map file; once inlined they must be relative to the code file. */
function resolveSource(source: string, sourceRoot: string | undefined, filename: string): string {
  if (/^[a-z][\w+.-]*:/i.test(source)) return source;
  return resolve(dirname(filename), sourceRoot ?? '', source);
}

/** The woven code with its map inlined, replacing the comment that pointed at the pre-weave map. */
export function withInlineSourceMap(code: string, map: unknown): string {
  const body = code.trimEnd().replace(SOURCE_MAPPING_URL_RE, '').trimEnd();
  const json = typeof map === 'string' ? map : JSON.stringify(map);
  return `${body}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(json).toString('base64')}\n`;
}
