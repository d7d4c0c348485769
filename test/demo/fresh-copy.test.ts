// `npm install && npm run demo` on a fresh clone: no dist/ yet. A copy of the sources without dist/
// (node_modules linked, as `npm install` would leave it) must build dist/ itself and pass the demo.
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/processes.js';
import { repoRoot } from '../helpers/spec.js';

const COPIED = [
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'runtime',
  'transformer',
  'plugins',
  'server',
  'bin',
  'scripts',
  'fixtures/demo/src',
];

describe('npm run demo without dist/', () => {
  const copy = mkdtempSync(join(tmpdir(), 'apm-weaver-fresh-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('builds dist/ first, then passes', async () => {
    for (const path of COPIED) cpSync(join(repoRoot, path), join(copy, path), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'), 'dir');
    expect(existsSync(join(copy, 'dist'))).toBe(false);

    const run = await runProcess(process.execPath, ['scripts/demo.js'], {
      cwd: copy,
      env: { ...process.env, NO_COLOR: '1' },
      timeoutMs: 150_000,
    });
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toMatch(/building dist\/ with tsc \(dist\/\S+ is missing\)/);
    expect(run.stdout).toContain('demo ok: all 3 expected traces arrived.');
    expect(existsSync(join(copy, 'dist/plugins/esbuild.js'))).toBe(true);
    // The shop was built from the copy, with the copy's plugin and runtime.
    expect(existsSync(join(copy, 'fixtures/demo/.build/shop.mjs'))).toBe(true);
  }, 180_000);
});
