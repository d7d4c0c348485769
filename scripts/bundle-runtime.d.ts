// Types for scripts/bundle-runtime.js (plain JavaScript so that node runs it after tsc without a compile step).

/** Where the bundle goes, relative to the repository root; package.json's `exports["."]` points here. */
export declare const RUNTIME_BUNDLE: string;
/** Writes dist/apm-weaver.js from runtime/index.ts, with the sender and worker files beside it; resolves with the entry's absolute path. */
export declare function bundleRuntime(repoRoot?: string): Promise<string>;
/** Why the bundle needs (re)building: missing, or older than a runtime source; undefined when it is current. */
export declare function runtimeBundleStaleness(repoRoot?: string): string | undefined;
/** Rebuilds the bundle only when it is stale; resolves with the reason it was rebuilt, or undefined. */
export declare function ensureRuntimeBundle(repoRoot?: string): Promise<string | undefined>;
/** One bundled file: absolute path (under dist/), contents, and its entry's name (apm-weaver, apm-weaver-transport, ...). */
export interface RuntimeFile {
  path: string;
  contents: Uint8Array;
  entry: string | undefined;
  /** Bytes each runtime source contributes to this file. */
  inputs: Record<string, number>;
}
/** Bundles the runtime's files in memory (minified for the size bench); nothing is written. */
export declare function buildRuntimeFiles(
  repoRoot?: string,
  options?: { minify?: boolean },
): Promise<RuntimeFile[]>;
