// Prepares a real library for the real-world check: copies of the installed npm package in a scratch folder (one
// left as published, one per front end with every source file woven in place), a snapshot of the built runtime the
// woven copies require, and the harness that runs the library's own tests.
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import type { FrontEndUnderTest } from '../weave/front-ends.js';
import { ensureRuntimeBuilt, REPO_ROOT, snapshotRuntime } from '../weave/workspace.js';
import { type WovenCopy, weaveCopyInPlace } from './weave-copy.js';

/** fixtures/real-world/<name>.json: which installed package, its source files, its test files, the floors asserted. */
export interface LibraryConfig {
  about: string;
  package: string;
  version: string;
  /** Globs (relative to the package) of the library's own source: every one is woven. */
  sources: string[];
  /** Globs of the test files, required in sorted order as tape's bin does. */
  tests: string[];
  atLeast: {
    wovenFunctions: number;
    /** Distinct woven functions that recorded a span (defaults meant to be overridden are never called). */
    calledFunctions: number;
    tests: number;
    spans: number;
    nestedSpans: number;
    failedSpans?: number;
  };
}

export interface LibraryCopies {
  root: string;
  /** The package as published. */
  plainDir: string;
  /** The package with every source file woven, by front-end name. */
  woven: Record<string, WovenCopy>;
  harness: string;
  /** Test files, relative to the package. */
  testFiles: string[];
  remove(): void;
}

export function readLibraryConfig(name: string): LibraryConfig {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures/real-world', `${name}.json`), 'utf8'));
}

function filesMatching(dir: string, globs: string[]): string[] {
  const matches = picomatch(globs);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split('\\').join('/'))
    .filter((file) => !file.startsWith('node_modules/') && matches(file))
    .sort();
}

export function prepareLibraryCopies(config: LibraryConfig, frontEnds: FrontEndUnderTest[]): LibraryCopies {
  ensureRuntimeBuilt();
  const installed = join(REPO_ROOT, 'node_modules', config.package);
  const installedVersion = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version;
  if (installedVersion !== config.version) {
    throw new Error(
      `${config.package}: ${installedVersion} installed, the fixture is about ${config.version}`,
    );
  }
  const root = mkdtempSync(join(tmpdir(), `apm-real-world-${config.package}-`));
  const remove = () => rmSync(root, { recursive: true, force: true });
  try {
    // Outside node_modules, as a user's own code: weave()'s default `include` skips node_modules paths.
    const plainDir = join(root, 'plain', config.package);
    cpSync(installed, plainDir, { recursive: true });
    // The woven files are CommonJS: the snapshot must load the way they will, with require().
    snapshotRuntime(root, 'require');
    const harness = join(root, 'tape-suite.mjs');
    copyFileSync(fileURLToPath(new URL('./harness/tape-suite.mjs', import.meta.url)), harness);

    const sources = filesMatching(plainDir, config.sources);
    if (sources.length === 0)
      throw new Error(`${config.package}: no file matches ${config.sources.join(', ')}`);
    const woven: Record<string, WovenCopy> = {};
    for (const frontEnd of frontEnds) {
      const dir = join(root, frontEnd.name, config.package);
      cpSync(installed, dir, { recursive: true });
      woven[frontEnd.name] = weaveCopyInPlace(dir, sources, frontEnd);
    }
    const testFiles = filesMatching(plainDir, config.tests);
    return { root, plainDir, woven, harness, testFiles, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
