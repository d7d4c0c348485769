// esbuild strips the demo shop's types without checking them; the shop is a TypeScript example, so it
// must also pass strict `tsc`, against the runtime's published types (dist/runtime/index.d.ts).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/processes.js';
import { repoRoot } from '../helpers/spec.js';

describe('demo shop sources', () => {
  it('type-check strictly against the published runtime types', async () => {
    const tsc = createRequire(join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');
    const run = await runProcess(process.execPath, [tsc, '-p', 'fixtures/demo/tsconfig.json'], {
      cwd: repoRoot,
    });
    expect(run.output).toBe('');
    expect(run.code).toBe(0);
  }, 60_000);
});
