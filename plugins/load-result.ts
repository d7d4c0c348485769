import { fileURLToPath } from 'node:url';
import type { LoadTimeWeaver } from './load-time-weave.js';

/** What a module load hook's `nextLoad` returns (the part we read and change). */
export interface LoadResult {
  format?: string | null | undefined;
  source?: string | ArrayBuffer | NodeJS.TypedArray | null | undefined;
}

/**
 * Formats whose source a load hook may weave. `*-typescript` is Node's own type stripping (22.6+): the woven code
 * stays TypeScript and Node strips it afterwards, positions kept, so the inline map still holds.
 */
export const ESM_FORMATS = new Set(['module', 'module-typescript']);
export const ALL_FORMATS = new Set(['module', 'module-typescript', 'commonjs', 'commonjs-typescript']);

/** The load result with its source woven, or the very same result when there is nothing to do. */
export function weaveLoadResult<R extends LoadResult>(
  url: string,
  result: R,
  weaveSource: LoadTimeWeaver,
  formats: ReadonlySet<string>,
): R {
  if (!url.startsWith('file:') || !formats.has(result.format ?? '') || result.source == null) return result;
  const source = result.source;
  const code = typeof source === 'string' ? source : new TextDecoder().decode(source as ArrayBuffer);
  const woven = weaveSource(code, fileURLToPath(url));
  return woven === code ? result : { ...result, source: woven };
}
