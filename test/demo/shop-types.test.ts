// esbuild strips the demo shop's types without checking them; the shop is a TypeScript example, so it
// must also pass strict `tsc`, against the runtime's published types (dist/runtime/index.d.ts).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/spec.js';

describe('demo shop sources', () => {
  it('type-check strictly against the published runtime types', () => {
    const tsc = createRequire(join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', 'fixtures/demo/tsconfig.json'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
  }, 60_000);
});
