// Prepares a real library for the real-world check: two copies of the installed npm package in a scratch folder
// (one left as published, one with every source file woven in place), a snapshot of the built runtime the woven
// copy requires, and the harness that runs the library's own tests.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFunction } from 'node:vm';
import picomatch from 'picomatch';
import { type WeaveWarning, weave } from '../../transformer/index.js';
import { ensureRuntimeBuilt, REPO_ROOT } from '../weave/workspace.js';

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

export interface WovenFile {
  file: string;
  /** `weave()`'s list for this file; empty when it came back untouched. */
  woven: string[];
  /** weave() of the woven code: undefined or the same code (woven-contract.md: weaving twice changes nothing). */
  rewovenChanged: boolean;
  /** Why the woven code does not parse as a script (all these libraries are CommonJS), if it does not. */
  syntaxError?: string;
}

export interface LibraryCopies {
  root: string;
  /** The package as published. */
  plainDir: string;
  /** The package with every source file woven. */
  wovenDir: string;
  harness: string;
  wovenFiles: WovenFile[];
  warnings: WeaveWarning[];
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

/** Copies this package's package.json and dist/runtime, retried when caught mid-rebuild by other work. */
function snapshotRuntime(root: string): void {
  const packageDir = join(root, 'node_modules', 'apm-weaver');
  for (let attempt = 1; ; attempt++) {
    rmSync(packageDir, { recursive: true, force: true });
    mkdirSync(packageDir, { recursive: true });
    copyFileSync(join(REPO_ROOT, 'package.json'), join(packageDir, 'package.json'));
    cpSync(join(REPO_ROOT, 'dist', 'runtime'), join(packageDir, 'dist', 'runtime'), { recursive: true });
    try {
      // The woven files are CommonJS: load the runtime the way they will, with require().
      execFileSync(process.execPath, ['-e', 'require("apm-weaver")'], { cwd: root, stdio: 'pipe' });
      return;
    } catch (error) {
      if (attempt === 3) throw new Error(`the runtime snapshot does not load: ${String(error)}`);
    }
  }
}

function scriptSyntaxError(code: string, filename: string): string | undefined {
  try {
    // Compiled the way Node's CommonJS loader compiles a module: as a function body, never run here.
    compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename });
    return undefined;
  } catch (error) {
    // The stack's head is `file:line`, the source line and a caret: the message alone may name a later symptom.
    const where = error instanceof Error ? (error.stack ?? '').split('\n').slice(0, 3).join('\n') : '';
    return `${String(error)}\n${where}`;
  }
}

/** Weaves every source file of the woven copy in place with `functions: ["**"]`, as a bundler plugin would. */
function weaveInPlace(dir: string, sources: string[], warnings: WeaveWarning[]): WovenFile[] {
  const options = {
    functions: ['**'],
    markers: true,
    onWarning: (warning: WeaveWarning) => warnings.push(warning),
  };
  return sources.map((file) => {
    const path = join(dir, file);
    const result = weave(readFileSync(path, 'utf8'), path, options);
    if (result === undefined) return { file, woven: [], rewovenChanged: false };
    writeFileSync(path, result.code);
    const rewoven = weave(result.code, path, options);
    const rewovenChanged = rewoven !== undefined && rewoven.code !== result.code;
    return { file, woven: result.woven, rewovenChanged, syntaxError: scriptSyntaxError(result.code, path) };
  });
}

export function prepareLibraryCopies(config: LibraryConfig): LibraryCopies {
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
    const plainDir = join(root, 'plain', config.package);
    const wovenDir = join(root, 'woven', config.package);
    // Outside node_modules, as a user's own code: weave()'s default `include` skips node_modules paths.
    cpSync(installed, plainDir, { recursive: true });
    cpSync(installed, wovenDir, { recursive: true });
    snapshotRuntime(root);
    const harness = join(root, 'tape-suite.mjs');
    copyFileSync(fileURLToPath(new URL('./harness/tape-suite.mjs', import.meta.url)), harness);

    const sources = filesMatching(wovenDir, config.sources);
    if (sources.length === 0)
      throw new Error(`${config.package}: no file matches ${config.sources.join(', ')}`);
    const warnings: WeaveWarning[] = [];
    const wovenFiles = weaveInPlace(wovenDir, sources, warnings);
    for (const warning of warnings) warning.file = relative(wovenDir, warning.file);
    const testFiles = filesMatching(plainDir, config.tests);
    return { root, plainDir, wovenDir, harness, wovenFiles, warnings, testFiles, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
