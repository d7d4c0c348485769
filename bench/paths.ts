// Where the benchmark finds the built package and keeps its scratch files.
// The bench runs from bench/.tmp/js (compiled by bench/main.mjs), so paths are resolved from the repo root.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function findRepoRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'runtime'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no repo root above ${start}`);
    dir = parent;
  }
  return dir;
}

export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
/** Scratch space (gitignored as .tmp/): compiled bench, generated projects, woven modules. */
export const benchTmp = join(repoRoot, 'bench', '.tmp');
export const distDir = join(repoRoot, 'dist');
export const compiledBenchDir = join(benchTmp, 'js');

/** A file: URL for dynamic import() of a built module, e.g. distUrl('runtime/index.js'). */
export function distUrl(relative: string): string {
  return pathToFileURL(join(distDir, relative)).href;
}

/** The compiled form of a bench module, e.g. benchScript('agents/ours.js'). */
export function benchScript(relative: string): string {
  return join(compiledBenchDir, relative);
}
