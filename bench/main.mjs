// `npm run bench`: compiles the TypeScript bench (esbuild, no bundling) into bench/.tmp/js and runs it.
// Node 20 cannot run .ts directly; the bench is typechecked with the rest of the repo (tsconfig.json).
// The runtime, transformer and plugins are loaded from dist/ (built by the npm script before this runs).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const benchDir = dirname(fileURLToPath(import.meta.url));
const outdir = join(benchDir, '.tmp', 'js');

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

buildSync({
  entryPoints: tsFiles(benchDir),
  outdir,
  outbase: benchDir,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});

const result = spawnSync(process.execPath, [join(outdir, 'run.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
