import type { ResolvedWeaveOptions } from './options.js';
import type { WeaveWarning } from './types.js';

export function formatWarning(warning: WeaveWarning): string {
  return `${warning.file}:${warning.line}:${warning.column + 1}: ${warning.message}`;
}

/** Sends a file's warnings to options.onWarning, or by default to console.warn in one call per file. */
export function reportWarnings(warnings: readonly WeaveWarning[], options: ResolvedWeaveOptions): void {
  if (warnings.length === 0) return;
  if (options.onWarning) {
    for (const warning of warnings) options.onWarning(warning);
    return;
  }
  console.warn(`[apm-weaver] ${warnings.map(formatWarning).join('\n[apm-weaver] ')}`);
}
