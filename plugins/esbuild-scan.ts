import {
  closeSync,
  type Dirent,
  existsSync,
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
export type WeavingTest = (file: string) => boolean | ContentTest;

/** Whether a file with these contents may need weaving (`file` is the one the test was made for). */
export type ContentTest = (content: Buffer, file: string) => boolean;

/**
 * A larger tree is not scanned at all: every file reaches the plugin, as without a scan. The scan reads every script
 * in the entry folders, bundled or not, and reading one costs several times less than a round trip: past this many,
 * a scan risks costing more than it saves (an entry at the top of a large repository).
 */
export const MAX_SCANNED_FILES = 10_000;

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
      // No such folder: nothing to scan there (esbuild reports a missing entry point itself).
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
 * Filesystems keep mtimes as coarse as 2 s (FAT) and clocks drift a little: a file whose mtime is older than the
 * scan by more than this had the same contents when the scan read it.
 */
const MTIME_SLACK_MS = 3000;

/** The read buffer's first size: it doubles for a larger file. */
const READ_BUFFER_BYTES = 64 * 1024;

/**
 * The largest read buffer kept after a scan. A context lives on between builds and should not hold a buffer the
 * size of its largest file; up to this size it may, so that a large entry (an index importing every module: 150 KB
 * in the bench) is not read into a buffer grown twice at every build.
 */
const KEPT_READ_BUFFER_BYTES = 1024 * 1024;

/**
 * One scan of the entry folders: which script files may need weaving (they reach the plugin), which do not (esbuild
 * loads them itself), and what the scan did not enter. A later build asks which files changed since
 * (`unreachableCandidates`), reading only the files whose mtime says they may have.
 */
export class SourceScan {
  readonly reachable: ReachablePaths;
  private readonly candidates = new Set<string>();
  /** Files the scan read and found nothing to weave in. */
  private readonly readAtScan = new Set<string>();
  /** Verdicts of later checks, with the mtime the file had then. */
  private readonly judged = new Map<string, { mtimeMs: number; needsWeaving: boolean }>();
  private readonly scannedAt = Date.now();
  /** False when the tree was too large to scan: then nothing is excluded and there is nothing to check later. */
  private readonly complete: boolean;

  constructor(
    private readonly roots: readonly string[],
    private readonly test: WeavingTest,
    private readonly neverWeavesNodeModules: boolean,
  ) {
    const skippedPrefixes: string[] = [];
    const files = this.listScripts(skippedPrefixes);
    this.complete = files !== undefined;
    for (const file of files ?? []) {
      const verdict = this.test(file);
      if (verdict === false) continue;
      // A file that cannot be read now stays reachable: the plugin reads it again when esbuild loads it.
      const content = verdict === true ? undefined : readWhole(file);
      if (verdict === true || content === undefined || verdict(content, file)) this.candidates.add(file);
      else this.readAtScan.add(file);
    }
    shrinkReadBuffer();
    this.reachable = {
      scannedFolders: this.complete ? roots.map((root) => (root.endsWith(sep) ? root : root + sep)) : [],
      neverWovenFolders: neverWeavesNodeModules ? ancestorNodeModules(roots) : [],
      files: this.candidates,
      skippedPrefixes,
    };
  }

  /** How many files may need weaving (the filter lists each). */
  get candidateCount(): number {
    return this.candidates.size;
  }

  /**
   * Walks the folders again: the files that need weaving now but were not candidates when the filter was made, so
   * esbuild no longer asks the plugin about them (a marker added since, a file created since).
   */
  unreachableCandidates(): string[] {
    if (!this.complete) return [];
    const found = (this.listScripts([]) ?? []).filter((file) => {
      if (this.candidates.has(file)) return false;
      const verdict = this.test(file);
      return verdict === true || (verdict !== false && this.needsWeavingNow(file, verdict));
    });
    shrinkReadBuffer();
    return found;
  }

  private needsWeavingNow(file: string, test: ContentTest): boolean {
    const mtimeMs = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (mtimeMs === undefined) return false;
    const known = this.judged.get(file);
    if (known?.mtimeMs === mtimeMs) return known.needsWeaving;
    const unchangedSinceScan =
      !known && this.readAtScan.has(file) && mtimeMs < this.scannedAt - MTIME_SLACK_MS;
    const content = unchangedSinceScan ? undefined : readWhole(file);
    const needsWeaving = content !== undefined && test(content, file);
    this.judged.set(file, { mtimeMs, needsWeaving });
    return needsWeaving;
  }

  /**
   * The script files under the roots, with what the walk does not enter listed in `skipped`; undefined when there
   * are too many to scan (nothing has been read yet then).
   */
  private listScripts(skipped: string[]): string[] | undefined {
    const files: string[] = [];
    const pending = [...this.roots];
    for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
      let entries: Dirent[];
      try {
        entries = readdirSync(folder, { withFileTypes: true });
      } catch {
        skipped.push(folder + sep);
        continue;
      }
      // The roots are real paths and the walk adds plain names: no path.join (it normalizes again, for every file).
      const prefix = folder.endsWith(sep) ? folder : folder + sep;
      for (const entry of entries) {
        const path = prefix + entry.name;
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
          if (files.push(path) > MAX_SCANNED_FILES) return undefined;
        }
      }
    }
    return files;
  }
}

/**
 * The buffer the scans read into, reused from file to file (each file is tested before the next is read) and from
 * scan to scan (scans run synchronously, never two at once): a build script makes a new plugin for every build,
 * and a fresh 64 KiB buffer each time showed in profiles of the bench's builds (about 0.2 ms).
 */
let readBuffer: Buffer | undefined;

/** After a scan: see KEPT_READ_BUFFER_BYTES. */
function shrinkReadBuffer(): void {
  if (readBuffer && readBuffer.length > KEPT_READ_BUFFER_BYTES) readBuffer = undefined;
}

/** The whole file, in the shared read buffer; undefined when it cannot be read (gone since the walk, no permission). */
function readWhole(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    readBuffer ??= Buffer.allocUnsafe(READ_BUFFER_BYTES);
    let buffer = readBuffer;
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger);
        buffer = larger;
        readBuffer = larger;
      }
      const wanted = buffer.length - length;
      const read = readSync(fd, buffer, length, wanted, null);
      length += read;
      // A regular file reads short only at its end: no extra read (or fstat) to find it.
      if (read < wanted) return buffer.subarray(0, length);
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
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
