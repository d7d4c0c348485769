// Runtime size: the runtime (runtime/index.ts and everything it imports) bundled and minified by esbuild for
// Node, then gzipped at level 9. The bundle is also written out, for the startup measurement.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { benchTmp, repoRoot } from './paths.js';

export interface SizeResult {
  minifiedBytes: number;
  gzipBytes: number;
  /** The largest contributors to the minified bundle (bytes in output per source file). */
  largestInputs: Record<string, number>;
  /** file: URL of the written bundle. */
  bundleUrl: string;
}

export async function measureRuntimeSize(): Promise<SizeResult> {
  const result = await build({
    entryPoints: [join(repoRoot, 'runtime', 'index.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error('esbuild produced no bundle');
  const file = join(benchTmp, 'runtime.min.mjs');
  writeFileSync(file, code);
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  const largest = Object.entries(inputs)
    .map(([path, info]) => [path, info.bytesInOutput] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8);
  return {
    largestInputs: Object.fromEntries(largest),
    minifiedBytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    bundleUrl: pathToFileURL(file).href,
  };
}
