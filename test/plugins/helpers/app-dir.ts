// A scratch app folder outside the repo that resolves `apm-weaver` the way an installed app does: through
// node_modules/apm-weaver (here a link to this checkout, whose exports point into dist/).
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/spec.js';
import { FIXTURE_DIR } from './scenario.js';

export function makeLinkedAppDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules/apm-weaver'), 'dir');
  cpSync(join(FIXTURE_DIR, 'apm-weaver.config.json'), join(dir, 'apm-weaver.config.json'));
  return dir;
}

/** Marks a folder of compiled output as ES modules or CommonJS for node. */
export function setModuleType(dir: string, type: 'module' | 'commonjs'): void {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type }));
}
