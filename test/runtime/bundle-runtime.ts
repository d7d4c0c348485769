// A bundled copy of the runtime, for the tests that load it the way a bundled application would (a child process,
// or two copies side by side). Its own file, so the other runtime tests do not load esbuild.
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../helpers/spec.js';

/** Bundles runtime/index.ts into one ESM file, as an application's bundler would (for Node 20). */
export async function bundleRuntime(outfile: string): Promise<void> {
  await build({
    entryPoints: [join(repoRoot, 'runtime/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
  });
}
