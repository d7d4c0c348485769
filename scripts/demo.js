// `npm run demo`: compiles the demo runner (scripts/demo/*.ts) with esbuild and runs it. Node 20
// cannot run TypeScript itself, and the runner must work right after `npm install`, with no other
// tool. Everything else (building dist/, weaving the demo app, the local intake) is the runner's job.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
// Inside the repository (not node_modules) so that `import('apm-weaver/esbuild')` in the runner
// resolves to this checkout through the package's own exports map.
const outfile = join(repoRoot, 'fixtures/demo/.build/runner.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(repoRoot, 'scripts/demo/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'error',
});
const { runDemo } = await import(pathToFileURL(outfile).href);
process.exitCode = await runDemo(process.argv.slice(2), repoRoot);
