import {
  pickWeaveOptions,
  resolveWeaveOptions,
  WEAVE_OPTION_KEYS,
  WeaveOptionsError,
} from '../transformer/core/options.js';
import type { WeaveOptions } from '../transformer/core/types.js';

/** The options every bundler entry and the `--import` hook take: the weave options plus how loud the build report is. */
export interface PluginOptions extends WeaveOptions {
  /** List every woven function, file by file, in the build report. */
  verbose?: boolean;
  /** No build report at all; warnings still reach `onWarning` when one is given. */
  silent?: boolean;
  /**
   * esbuild only (default true): scan the entry points' folders when the build is set up, so files with nothing to
   * weave never cost a round trip into JS. `false` lets every script reach the plugin: for esbuild contexts (watch,
   * serve) in which files gain markers while they run.
   */
  scan?: boolean;
}

const REPORT_KEYS = ['verbose', 'silent', 'scan'] as const;
const KNOWN_KEYS = new Set<string>([...WEAVE_OPTION_KEYS, ...REPORT_KEYS]);

/**
 * Checks the user's options once, when the plugin is created: a configuration error is the one thing that fails a
 * build, so it must surface before any file is read. Returns the weave options (a fresh object the plugin keeps, so
 * the transformer's per-options cache compiles the globs once).
 */
export function checkPluginOptions(raw: unknown): { weave: WeaveOptions; verbose: boolean; silent: boolean } {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new WeaveOptionsError('plugin options must be an object');
  }
  const options = raw as Record<string, unknown>;
  const unknown = Object.keys(options).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) {
    throw new WeaveOptionsError(
      `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${[...KNOWN_KEYS].join(', ')}`,
    );
  }
  for (const key of REPORT_KEYS) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      throw new WeaveOptionsError(`option "${key}" must be true or false`);
    }
  }
  const weave = pickWeaveOptions(options);
  // Validates the weave options and compiles the globs and rules now, so an invalid one throws here rather than in
  // the middle of a build.
  resolveWeaveOptions(weave);
  return { weave, verbose: options.verbose === true, silent: options.silent === true };
}
