import {
  closeSync,
  type Dirent,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { ReachablePaths } from './esbuild-filter.js';
import { SCRIPT_ID_RE } from './filter.js';

/**
 * Whether a file may need weaving: a verdict from its path alone (the options exclude it; a rule selects every
 * function in it), or a test of its contents (a marker, a rule's name).
 */
export type WeavingTest = (file: string) => boolean | ((content: Buffer) => boolean);

/** A larger tree is not scanned at all: every file reaches the plugin, as without a scan. */
export const MAX_SCANNED_FILES = 20_000;

/** Glob characters in an entry point (esbuild expands `src/*.ts`): the folder before the first one is scanned. */
const GLOB_CHAR_RE = /[*?[{]/;

/**
 * The folders to scan for a build: those of its entry points, resolved as esbuild does (real paths, from
 * `absWorkingDir`), without folders inside others. A build from stdin has none.
 */
export function entryFolders(entryPoints: unknown, workingDir: string): string[] {
  const folders = new Set<string>();
  for (const entry of entryPaths(entryPoints)) {
    const globAt = entry.search(GLOB_CHAR_RE);
    // A file's folder is its parent; a glob's is what comes before its last separator ahead of the first wildcard.
    const prefix = globAt >= 0 ? entry.slice(0, globAt) : entry;
    const folder =
      globAt >= 0 && /(^|[\\/])$/.test(prefix)
        ? resolve(workingDir, prefix)
        : dirname(resolve(workingDir, prefix));
    try {
      folders.add(realpathSync(folder));
    } catch {
      // Not a folder on disk (a package name esbuild resolves): its files are not scanned, so they stay reachable.
    }
  }
  const sorted = [...folders].sort();
  return sorted.filter((folder, i) => !sorted.slice(0, i).some((outer) => isInside(folder, outer)));
}

function entryPaths(entryPoints: unknown): string[] {
  if (Array.isArray(entryPoints)) {
    return entryPoints.map((entry) =>
      typeof entry === 'string' ? entry : String((entry as { in?: unknown }).in ?? ''),
    );
  }
  if (entryPoints && typeof entryPoints === 'object') return Object.values(entryPoints).map(String);
  return [];
}

function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/**
 * One scan of the entry folders: which script files may need weaving (they reach the plugin), which do not (esbuild
 * loads them itself), and what the scan did not enter. The files judged on their contents keep their mtime, so a
 * later build can tell which of them changed since (`unreachableCandidates`).
 */
export class SourceScan {
  readonly reachable: ReachablePaths;
  private readonly candidates = new Set<string>();
  /** Files judged on their contents to have nothing to weave, with their mtime then. */
  private readonly judged = new Map<string, { mtimeMs: number; needsWeaving: boolean }>();
  private buffer = Buffer.allocUnsafe(64 * 1024);
  /** False when the tree was too large to scan: then nothing is excluded and there is nothing to check later. */
  private readonly complete: boolean;

  constructor(
    private readonly roots: readonly string[],
    private readonly test: WeavingTest,
    private readonly neverWeavesNodeModules: boolean,
  ) {
    const skippedPrefixes: string[] = [];
    this.complete = this.walk(skippedPrefixes, (file) => {
      const verdict = this.test(file);
      if (verdict === false) return;
      if (verdict === true) {
        this.candidates.add(file);
        return;
      }
      const { content, mtimeMs } = this.read(file);
      const needsWeaving = verdict(content);
      this.judged.set(file, { mtimeMs, needsWeaving });
      if (needsWeaving) this.candidates.add(file);
    });
    this.reachable = {
      scannedFolders: this.complete ? roots.map((root) => (root.endsWith(sep) ? root : root + sep)) : [],
      neverWovenFolders: neverWeavesNodeModules ? ancestorNodeModules(roots) : [],
      files: this.candidates,
      skippedPrefixes,
    };
  }

  /**
   * Walks the folders again: the files that need weaving now but were not candidates when the filter was made, so
   * esbuild no longer asks the plugin about them (a marker added since, a file created since). Reads only the files
   * whose mtime changed.
   */
  unreachableCandidates(): string[] {
    if (!this.complete) return [];
    const found: string[] = [];
    this.walk([], (file) => {
      if (this.candidates.has(file)) return;
      const verdict = this.test(file);
      if (verdict === false) return;
      const known = this.judged.get(file);
      let needsWeaving: boolean;
      if (verdict === true) {
        needsWeaving = true;
      } else {
        const mtimeMs = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
        if (mtimeMs === undefined) return;
        if (known && known.mtimeMs === mtimeMs) {
          needsWeaving = known.needsWeaving;
        } else {
          needsWeaving = verdict(this.read(file).content);
          this.judged.set(file, { mtimeMs, needsWeaving });
        }
      }
      if (needsWeaving) found.push(file);
    });
    return found;
  }

  /**
   * Visits every script file under the roots and lists what it does not enter in `skipped`; false when there were
   * too many files to scan.
   */
  private walk(skipped: string[], visit: (file: string) => void): boolean {
    let files = 0;
    const pending = [...this.roots];
    for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
      let entries: Dirent[];
      try {
        entries = readdirSync(folder, { withFileTypes: true });
      } catch {
        skipped.push(folder + sep);
        continue;
      }
      for (const entry of entries) {
        const path = join(folder, entry.name);
        if (entry.isSymbolicLink()) {
          // esbuild loads a link by its target, unless preserveSymlinks: keep both ways reachable.
          skipped.push(path);
        } else if (entry.isDirectory()) {
          // The scan does not enter node_modules (never woven unless `include` says so: then its files stay
          // reachable) nor dot folders (rarely sources: their files stay reachable).
          if (entry.name === 'node_modules') {
            if (!this.neverWeavesNodeModules) skipped.push(path + sep);
          } else if (entry.name.startsWith('.')) {
            skipped.push(path + sep);
          } else {
            pending.push(path);
          }
        } else if (entry.isFile() && SCRIPT_ID_RE.test(entry.name)) {
          if (++files > MAX_SCANNED_FILES) return false;
          visit(path);
        }
      }
    }
    return true;
  }

  /** The whole file, in a buffer reused from file to file (the test runs before the next read). */
  private read(file: string): { content: Buffer; mtimeMs: number } {
    const fd = openSync(file, 'r');
    try {
      const { size, mtimeMs } = fstatSync(fd);
      if (size > this.buffer.length) this.buffer = Buffer.allocUnsafe(size);
      let length = 0;
      while (length < size) {
        const read = readSync(fd, this.buffer, length, size - length, null);
        if (read === 0) break;
        length += read;
      }
      return { content: this.buffer.subarray(0, length), mtimeMs };
    } finally {
      closeSync(fd);
    }
  }
}

/** The node_modules folders above the roots, where the dependencies resolve (the roots' own are not entered). */
function ancestorNodeModules(roots: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const root of roots) {
    for (let dir = root, parent = dirname(dir); ; dir = parent, parent = dirname(dir)) {
      const nodeModules = join(dir, 'node_modules');
      if (existsSync(nodeModules)) folders.add(nodeModules + sep);
      if (parent === dir || !isAbsolute(parent)) break;
    }
  }
  return [...folders];
}
