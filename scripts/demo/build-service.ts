// Builds the demo shop (fixtures/demo/src) into one ESM file with esbuild and apm-weaver's esbuild
// plugin, loaded by its package name as a user would: `import apmWeaver from 'apm-weaver/esbuild'`.
import { join } from 'node:path';

/** Every function in the pricing folder is woven by this rule; the other files use `@apm-span` markers. */
export const DEMO_WEAVE_OPTIONS = { functions: ['**/pricing/*.ts#*'] };

/** Builds the shop and returns the output file. The plugin prints its build report (what it wove). */
export async function buildDemoService(demoDir: string): Promise<string> {
  const esbuild = await import('esbuild');
  const { default: apmWeaver } = await import('apm-weaver/esbuild');
  const file = join(demoDir, '.build/shop.mjs');
  await esbuild.build({
    entryPoints: [join(demoDir, 'src/main.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [apmWeaver({ ...DEMO_WEAVE_OPTIONS, verbose: true })],
  });
  return file;
}
