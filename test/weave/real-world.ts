// The real-world check: copy a library from node_modules, weave every function of its source (`functions: ["**"]`),
// and run the library's own test suite against the original and the woven copy.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from '@babel/core';
import apmWeaverBabelPlugin from '../../transformer/babel.js';
import type { WeaveOptions, WeaveWarning } from '../../transformer/core/types.js';
import { weave } from '../../transformer/index.js';
import { weaveLibraryFileWithTypeScript } from '../transformer/typescript-front-end.js';
import { REPO_ROOT, type Workspace } from './workspace.js';

export interface SuiteRun {
  stdout: string;
  stderr: string;
  status: number | null;
  spans: { recorded: number; started: number } | undefined;
}

/** Links every package of this repository's node_modules (but the library and apm-weaver) into the workspace. */
export function linkDependencies(workspace: Workspace, except: string): void {
  for (const entry of readdirSync(join(REPO_ROOT, 'node_modules'))) {
    if (entry === except || entry === 'apm-weaver' || entry.startsWith('.')) continue;
    symlinkSync(join(REPO_ROOT, 'node_modules', entry), join(workspace.root, 'node_modules', entry), 'dir');
  }
}

/** Weaves one file of the library, or returns undefined when nothing in it was woven. */
export type LibraryWeaver = (
  code: string,
  path: string,
  options: WeaveOptions,
) => { code: string; count: number } | undefined;

export const LIBRARY_WEAVERS: Record<string, LibraryWeaver> = {
  'magic-string': (code, path, options) => {
    const result = weave(code, path, options);
    return result && { code: result.code, count: result.woven.length };
  },
  babel: (code, path, options) => {
    const output = transformSync(code, {
      filename: path,
      babelrc: false,
      configFile: false,
      sourceType: 'unambiguous',
      retainLines: true,
      plugins: [[apmWeaverBabelPlugin, options]],
    })?.code;
    const count = output?.match(/\bvar __apm\w*S\d+ = /g)?.length ?? 0;
    return output && count > 0 ? { code: output, count } : undefined;
  },
  typescript: weaveLibraryFileWithTypeScript,
};

/** Copies the library and weaves the .js files under `sourceDirs`; returns how many functions and the warnings. */
export function weaveLibraryCopy(
  library: string,
  target: string,
  sourceDirs: string[],
  weaver?: LibraryWeaver,
) {
  cpSync(join(REPO_ROOT, 'node_modules', library), target, { recursive: true, dereference: true });
  let woven = 0;
  const warnings: WeaveWarning[] = [];
  for (const dir of weaver ? sourceDirs : []) {
    for (const file of readdirSync(join(target, dir)).filter((f) => f.endsWith('.js'))) {
      const path = join(target, dir, file);
      const result = weaver?.(readFileSync(path, 'utf8'), path, {
        functions: ['**'],
        onWarning: (w) => warnings.push(w),
      });
      if (!result) continue;
      writeFileSync(path, result.code);
      woven += result.count;
    }
  }
  return { woven, warnings };
}

export function runSuite(cwd: string, args: string[], preamble: string, spansFile: string): SuiteRun {
  const run = spawnSync(process.execPath, [preamble, ...args], {
    cwd,
    env: { PATH: process.env.PATH, WEAVE_SPANS: spansFile },
    encoding: 'utf8',
    timeout: 120_000,
  });
  let spans: SuiteRun['spans'];
  try {
    spans = JSON.parse(readFileSync(spansFile, 'utf8'));
  } catch {
    spans = undefined;
  }
  return { stdout: run.stdout, stderr: run.stderr, status: run.status, spans };
}
