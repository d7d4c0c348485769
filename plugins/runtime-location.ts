import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/**
 * Where the runtime that woven code imports lives, as seen from the app (the working directory).
 *
 * Woven files import the runtime by its bare specifier, so the bundler (or node) resolves it like the app's own
 * `import { Client } from 'apm-weaver'`, and there is one copy. A woven file outside the app that cannot resolve
 * it from where it stands (a linked workspace package without the dependency, under pnpm's strict layout) imports
 * the app's copy by path instead.
 */
export class RuntimeLocation {
  /** Absolute path of the runtime entry resolved from the app, if it resolves. */
  readonly appEntry: string | undefined;
  private readonly resolvableFrom = new Map<string, boolean>();

  constructor(
    readonly specifier: string,
    readonly appRoot = process.cwd(),
    /** For a bundler: the entry its resolver picks (the `module` export condition), not node's. */
    forBundler = false,
  ) {
    const entry = resolveFrom(specifier, join(appRoot, 'package.json'));
    this.appEntry = forBundler && entry ? (moduleConditionEntry(entry, specifier) ?? entry) : entry;
  }

  /**
   * An absolute glob of the runtime's folder: the runtime is never woven itself (a rule such as "*" would make every
   * span open a span). In node_modules it is skipped anyway, but a linked or self-referenced copy is not.
   */
  excludeGlob(): string | undefined {
    return this.appEntry && `${dirname(this.appEntry).replace(/\\/g, '/')}/**`;
  }

  /** The specifier the woven code of `file` should import. */
  specifierFor(file: string): string {
    if (!this.appEntry) return this.specifier;
    const dir = dirname(file.replace(/\?.*$/, ''));
    let resolvable = this.resolvableFrom.get(dir);
    if (resolvable === undefined) {
      resolvable = resolveFrom(this.specifier, join(dir, 'noop.js')) !== undefined;
      this.resolvableFrom.set(dir, resolvable);
    }
    return resolvable ? this.specifier : this.appEntry.replace(/\\/g, '/');
  }
}

function resolveFrom(specifier: string, fromFile: string): string | undefined {
  try {
    return createRequire(fromFile).resolve(specifier);
  } catch {
    return undefined;
  }
}

/**
 * The file a bundler resolves the package to: its `exports["."].module`, which node ignores (apm-weaver gives bundlers
 * the runtime in one file there, and node a smaller entry that loads its sender later). Imported by path, node's
 * pick would put a second copy of the runtime beside the one the app's own import brings in.
 */
function moduleConditionEntry(nodeEntry: string, specifier: string): string | undefined {
  for (let dir = dirname(nodeEntry); dir !== dirname(dir); dir = dirname(dir)) {
    let manifest: { name?: unknown; exports?: unknown };
    try {
      manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (manifest.name === undefined) continue; // a folder's own {"type": ...}, not the package's
    if (manifest.name !== specifier) return undefined;
    const exports = manifest.exports as Record<string, unknown> | undefined;
    const dot = (exports?.['.'] ?? undefined) as Record<string, unknown> | undefined;
    return typeof dot?.module === 'string' ? resolve(dir, dot.module) : undefined;
  }
  return undefined;
}
