import type { WeaveOptions } from './core/types.js';

/** A source map v3 as plain JSON data (what bundlers accept from a transform hook). */
export interface WeaveSourceMap {
  version: 3;
  file?: string;
  sources: string[];
  sourcesContent?: Array<string | null>;
  names: string[];
  mappings: string;
}

/** What `weave()` returns for a file it changed. */
export interface WeaveResult {
  code: string;
  map: WeaveSourceMap;
  /** Qualified names (or span names of anonymous functions) of the functions woven, in source order. */
  woven: string[];
}

/** `weave()`'s options: WeaveOptions, plus the map of an earlier transform to chain onto. */
export interface WeaveCallOptions extends WeaveOptions {
  /** Source map of the code as received (JSON text or object). An inline `data:` sourceMappingURL is used otherwise. */
  inputMap?: WeaveSourceMap | string;
}
