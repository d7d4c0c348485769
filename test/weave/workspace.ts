// A scratch folder where fixture programs run with plain node: package.json ("type": "module"), the harness, and
// node_modules/apm-weaver linked to this repository, so woven code resolves the runtime from dist/ like a user's would.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Workspace {
  root: string;
  harness: string;
  remove(): void;
}

/** Builds dist/ (tsc -p tsconfig.build.json) when the runtime sources are newer than it. */
export function ensureRuntimeBuilt(): void {
  const built = join(REPO_ROOT, 'dist/runtime/index.js');
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  const sources = readdirSync(join(REPO_ROOT, 'runtime'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const newest = Math.max(...sources.map((f) => statSync(join(REPO_ROOT, 'runtime', f)).mtimeMs));
  if (builtAt >= newest) return;
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'pipe' });
  } catch {
    // tsc emits even with type errors elsewhere in the tree; only a missing build is fatal.
  }
  if (!existsSync(built)) throw new Error('dist/runtime/index.js is missing after `npx tsc -p tsconfig.build.json`');
}

export function createWorkspace(): Workspace {
  ensureRuntimeBuilt();
  const root = mkdtempSync(join(tmpdir(), 'apm-weave-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(REPO_ROOT, join(root, 'node_modules', 'apm-weaver'), 'dir');
  const harness = join(root, 'preamble.mjs');
  copyFileSync(fileURLToPath(new URL('./harness/preamble.mjs', import.meta.url)), harness);
  return { root, harness, remove: () => rmSync(root, { recursive: true, force: true }) };
}
