// The demo builds its app through the published entry points (`apm-weaver/esbuild`, `apm-weaver`),
// which point into dist/. On a fresh clone dist/ does not exist, and in a working copy it goes stale:
// rebuild it whenever a compiled source is newer than its output.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { RUNTIME_BUNDLE, runtimeBundleStaleness } from '../bundle-runtime.js';

/** The folders tsconfig.build.json compiles. */
const SOURCE_DIRS = ['runtime', 'transformer', 'plugins', 'server', 'bin'];

function* typeScriptSources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* typeScriptSources(path);
    else if (/\.(ts|json)$/.test(entry.name) && !/\.(d|test)\.ts$/.test(entry.name)) yield path;
  }
}

/** Why dist/ needs building (a missing or older output), or undefined when it is up to date. */
export function distBuildReason(repoRoot: string): string | undefined {
  for (const dir of SOURCE_DIRS) {
    const sourceDir = join(repoRoot, dir);
    if (!existsSync(sourceDir)) continue;
    for (const source of typeScriptSources(sourceDir)) {
      const rel = relative(repoRoot, source);
      const output = join(repoRoot, 'dist', rel.endsWith('.ts') ? rel.replace(/\.ts$/, '.js') : rel);
      // JSON is only emitted when imported; a JSON file nobody imports has no output to compare.
      if (rel.endsWith('.json') && !existsSync(output)) continue;
      if (!existsSync(output)) return `${relative(repoRoot, output)} is missing`;
      if (statSync(output).mtimeMs < statSync(source).mtimeMs) return `${rel} is newer than its output`;
    }
  }
  // The package entry, dist/apm-weaver.js, is written by the after-build step, not by tsc.
  return runtimeBundleStaleness(repoRoot);
}

/**
 * Runs `tsc -p tsconfig.build.json` and the after-build step when dist/ is stale. Type errors do not
 * stop it (tsc still emits); a missing entry point afterwards does.
 */
export function ensureDistBuilt(repoRoot: string, log: (line: string) => void): void {
  const stale = distBuildReason(repoRoot);
  if (stale === undefined) return;
  log(`building dist/ with tsc (${stale})...`);
  const tsc = createRequire(join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (compiled.status !== 0) {
    const errors = (compiled.stdout ?? '').split('\n').filter((line) => line.includes('error TS')).length;
    log(`tsc reported ${errors} type error(s); continuing with what it emitted`);
  }
  spawnSync(process.execPath, [join(repoRoot, 'scripts/after-build.js')], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  for (const entry of [RUNTIME_BUNDLE, 'dist/plugins/esbuild.js']) {
    if (!existsSync(join(repoRoot, entry))) {
      throw new Error(`building dist/ failed: ${entry} is missing.\n${compiled.stdout}${compiled.stderr}`);
    }
  }
}
