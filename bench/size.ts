// Runtime size: the runtime's files as the package ships them (scripts/bundle-runtime.js), bundled and minified by
// esbuild for Node, each gzipped at level 9. The entry (dist/apm-weaver.js) is what `import 'apm-weaver'` loads; the
// sender (dist/apm-weaver-transport.js) is loaded with the first event; the two together are everything the
// application's thread can load. The entry bundlers get (one file, the sender inline) is measured too. The worker
// thread's entry is reported beside them, in no total (the earlier one-file measure did not hold it either). The
// files are also written out, side by side, for the startup measure. Last, what an application's bundler keeps of
// the shipped file for bundlers when the application uses only the client and woven functions (no instrument()).
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { RuntimeFile } from '../scripts/bundle-runtime.js';
import { benchTmp, repoRoot } from './paths.js';

export interface FileSize {
  minifiedBytes: number;
  gzipBytes: number;
}

export interface SizeResult {
  /** The entry file, loaded by `import 'apm-weaver'`. */
  minifiedBytes: number;
  gzipBytes: number;
  /** Entry plus the sender file (loaded with the first event): all the application's thread can load. */
  allFilesMinifiedBytes: number;
  allFilesGzipBytes: number;
  /** The entry bundlers get (package.json's `module` condition): the same runtime, the sender inline. */
  forBundlersGzipBytes: number;
  /** An application importing `Client` and the woven-code entries from dist/apm-weaver-inline.js, esbuild-bundled. */
  treeShakenApp: FileSize;
  /** Each file by its name in dist/ (the worker's entry included). */
  files: Record<string, FileSize>;
  /** The largest contributors to the minified entry (bytes in output per source file). */
  largestInputs: Record<string, number>;
  /** file: URL of the written entry (the sender and worker files are beside it). */
  bundleUrl: string;
}

const ENTRY = 'apm-weaver';
const SENDER = 'apm-weaver-transport';
const FOR_BUNDLERS = 'apm-weaver-inline';
/** The application for the tree-shaken measure: a client, woven functions of each kind, no instrument(). */
const TREE_SHAKEN_APP = `
import { Client, defineSpan, wovenAsyncCall, wovenAsyncGenerator, wovenCall, wovenGenerator } from './${FOR_BUNDLERS}.js';
new Client({ serviceName: 'app' });
export { defineSpan, wovenAsyncCall, wovenAsyncGenerator, wovenCall, wovenGenerator };
`;

function sizeOf(file: RuntimeFile): FileSize {
  return {
    minifiedBytes: file.contents.byteLength,
    gzipBytes: gzipSync(file.contents, { level: 9 }).byteLength,
  };
}

export async function measureRuntimeSize(): Promise<SizeResult> {
  // The bench runs compiled from bench/.tmp/js: the script is loaded from the repo root, not by a relative path.
  const script = pathToFileURL(join(repoRoot, 'scripts', 'bundle-runtime.js')).href;
  const { buildRuntimeFiles } = (await import(script)) as typeof import('../scripts/bundle-runtime.js');
  const built = await buildRuntimeFiles(repoRoot, { minify: true });
  const dir = join(benchTmp, 'runtime-min');
  mkdirSync(dir, { recursive: true });
  const files: Record<string, FileSize> = {};
  for (const file of built) {
    writeFileSync(join(dir, basename(file.path)), file.contents);
    files[file.entry ?? basename(file.path)] = sizeOf(file);
  }
  const entry = built.find((file) => file.entry === ENTRY);
  const entrySize = files[ENTRY];
  if (entry === undefined || entrySize === undefined) throw new Error('esbuild produced no runtime entry');
  const senderSize = files[SENDER] ?? { minifiedBytes: 0, gzipBytes: 0 };
  const largest = Object.entries(entry.inputs)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8);
  return {
    minifiedBytes: entrySize.minifiedBytes,
    gzipBytes: entrySize.gzipBytes,
    allFilesMinifiedBytes: entrySize.minifiedBytes + senderSize.minifiedBytes,
    allFilesGzipBytes: entrySize.gzipBytes + senderSize.gzipBytes,
    forBundlersGzipBytes: files[FOR_BUNDLERS]?.gzipBytes ?? Number.NaN,
    treeShakenApp: await treeShakenAppSize(),
    files,
    largestInputs: Object.fromEntries(largest),
    bundleUrl: pathToFileURL(join(dir, basename(entry.path))).href,
  };
}

/** Bundles TREE_SHAKEN_APP against the shipped file for bundlers (dist/, as `npm pack` ships it), minified. */
async function treeShakenAppSize(): Promise<FileSize> {
  const { build } = await import('esbuild');
  const result = await build({
    stdin: {
      contents: TREE_SHAKEN_APP,
      resolveDir: join(repoRoot, 'dist'),
      sourcefile: 'app.js',
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['node:*'],
    write: false,
    logLevel: 'warning',
  });
  const contents = result.outputFiles[0]?.contents;
  if (contents === undefined) throw new Error('esbuild wrote no tree-shaken application');
  return { minifiedBytes: contents.byteLength, gzipBytes: gzipSync(contents, { level: 9 }).byteLength };
}
