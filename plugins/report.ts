import { relative } from 'node:path';
import type { WeaveWarning } from '../transformer/core/types.js';

/**
 * What one build wove, printed once when the build ends: how many functions in how many files, and every warning
 * with its file:line and why. Bundlers that rebuild (watch mode) call `reset()` at the start of each build.
 */
export class BuildReport {
  private readonly wovenByFile = new Map<string, readonly string[]>();
  private readonly warnings: WeaveWarning[] = [];

  reset(): void {
    this.wovenByFile.clear();
    this.warnings.length = 0;
  }

  addWoven(file: string, names: readonly string[]): void {
    if (names.length > 0) this.wovenByFile.set(file, names);
  }

  addWarning(warning: WeaveWarning): void {
    this.warnings.push(warning);
  }

  get functionCount(): number {
    let count = 0;
    for (const names of this.wovenByFile.values()) count += names.length;
    return count;
  }

  /** The report's lines; `verbose` adds each woven function under its file. */
  lines(verbose: boolean, cwd = process.cwd()): string[] {
    const files = this.wovenByFile.size;
    const warnings = this.warnings.length;
    const lines = [
      `[apm-weaver] ${plural(this.functionCount, 'function')} woven in ${plural(files, 'file')}` +
        (warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''),
    ];
    if (verbose) {
      for (const [file, names] of this.wovenByFile)
        lines.push(`  ${displayPath(file, cwd)}: ${names.join(', ')}`);
    }
    for (const w of this.warnings) {
      lines.push(`  warning ${displayPath(w.file, cwd)}:${w.line}:${w.column + 1} ${w.message}`);
    }
    return lines;
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function displayPath(file: string, cwd: string): string {
  const path = file.replace(/\?.*$/, '');
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
