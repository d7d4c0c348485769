// A scratch folder where fixture programs run with plain node: package.json ("type": "module"), the harness, and
// node_modules/apm-weaver holding this package's package.json and a snapshot of its entry, dist/apm-weaver.js (the
// bundled runtime), so woven code resolves the runtime like a user's would. A snapshot, not a link: other work
// rebuilds dist/ while fixtures run.
import { execFileSync as run } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNTIME_BUNDLE, runtimeBundleStaleness } from '../../scripts/bundle-runtime.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Workspace {
  root: string;
  harness: string;
  remove(): void;
}

/** Rebuilds the package entry, dist/apm-weaver.js, from runtime/ when a runtime source is newer than it. */
export function ensureRuntimeBuilt(): void {
  if (runtimeBundleStaleness(REPO_ROOT) === undefined) return;
  run(process.execPath, [join(REPO_ROOT, 'scripts/bundle-runtime.js')], { cwd: REPO_ROOT, stdio: 'pipe' });
}

/**
 * Puts node_modules/apm-weaver (this package.json and a copy of dist/apm-weaver.js) into `root` and loads it there the way
 * the programs will (`import` or `require`). Copied in the middle of someone's rebuild, it takes another snapshot.
 */
export function snapshotRuntime(root: string, loadWith: 'import' | 'require'): void {
  const packageDir = join(root, 'node_modules', 'apm-weaver');
  const probe =
    loadWith === 'import'
      ? ['--input-type=module', '-e', 'await import("apm-weaver")']
      : ['-e', 'require("apm-weaver")'];
  for (let attempt = 1; ; attempt++) {
    rmSync(packageDir, { recursive: true, force: true });
    mkdirSync(packageDir, { recursive: true });
    copyFileSync(join(REPO_ROOT, 'package.json'), join(packageDir, 'package.json'));
    mkdirSync(join(packageDir, 'dist'));
    copyFileSync(join(REPO_ROOT, RUNTIME_BUNDLE), join(packageDir, RUNTIME_BUNDLE));
    try {
      run(process.execPath, probe, { cwd: root, stdio: 'pipe' });
      return;
    } catch (error) {
      if (attempt === 3) throw new Error(`the runtime snapshot does not load: ${String(error)}`);
    }
  }
}

export function createWorkspace(): Workspace {
  ensureRuntimeBuilt();
  const root = mkdtempSync(join(tmpdir(), 'apm-weave-'));
  const remove = () => rmSync(root, { recursive: true, force: true });
  try {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
    const harness = join(root, 'preamble.mjs');
    copyFileSync(fileURLToPath(new URL('./harness/preamble.mjs', import.meta.url)), harness);
    snapshotRuntime(root, 'import');
    return { root, harness, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
