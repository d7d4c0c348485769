// Types for scripts/bundle-runtime.js (plain JavaScript so that node runs it after tsc without a compile step).

/** Where the bundle goes, relative to the repository root; package.json's `exports["."]` points here. */
export declare const RUNTIME_BUNDLE: string;
/** Writes dist/apm-weaver.js from runtime/index.ts; resolves with the bundle's absolute path. */
export declare function bundleRuntime(repoRoot?: string): Promise<string>;
/** Why the bundle needs (re)building: missing, or older than a runtime source; undefined when it is current. */
export declare function runtimeBundleStaleness(repoRoot?: string): string | undefined;
/** Rebuilds the bundle only when it is stale; resolves with the reason it was rebuilt, or undefined. */
export declare function ensureRuntimeBundle(repoRoot?: string): Promise<string | undefined>;
