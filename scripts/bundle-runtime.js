// The package entry (`import ... from 'apm-weaver'`): the runtime as one ES module, dist/apm-weaver.js.
// Node pays a per-file cost for each module it loads (resolve, read, compile, link); runtime/index.ts pulls in ~50
// files, which made the import most of the runtime's startup. One file cuts that to a fraction.
// Not minified: users read our frames in their stack traces, and the runtime folds woven frames by function name
// (runtime/stack.ts: runInSpan, wovenCall, wovenAsync), so the names must come through as written.
// Bundled from the TypeScript sources, not from dist/runtime, so it is right even when tsc has not run since the
// last edit. `node:` built-ins stay imports (platform node); the runtime has no other dependency.
// Two more files sit beside it, each bundled on its own:
// - dist/apm-weaver-transport.js, the sender (runtime/transport/sender.ts and what it imports), which
//   runtime/transport/deferred-transport.ts loads with the first event (`import('./sender.js')` in the source,
//   rewritten here to the file's name). Compiling it was a quarter of the import (CPU, Node 20 and 24: ~0.8 ms of
//   ~3.3), paid by every process at start. It is not an esbuild split chunk: with `splitting`, the modules both
//   files use (span-event, lazy-builtins, version, encode) go to a third file that the entry imports, and that
//   file's per-file cost ate most of the gain. So the sender carries its own copy of those few small modules (the
//   sender knows either copy's span events by a mark, SPAN_EVENT_V1 in runtime/span-event.ts, not by class).
// - dist/apm-weaver-transport-worker.js, the transport worker's entry, which worker-launch.ts loads from a file next
//   to the runtime module (new URL(..., import.meta.url)).
// And one for bundlers, dist/apm-weaver-inline.js (FOR_BUNDLERS below): the entry with the sender inline, since a
// bundle written as one file (Rollup's output.file) cannot have the second chunk the dynamic import would make. Its
// sender is runtime/transport/sender-in-thread.ts: a runtime bundled into an application has no worker file beside
// it, so the worker transport's code could never run there.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the bundle goes, relative to the repository root; package.json's `exports["."]` points here. */
export const RUNTIME_BUNDLE = 'dist/apm-weaver.js';

/** The sender's file in dist/, beside the entry, and the module the entry's dynamic import names in the source. */
const SENDER = { out: 'apm-weaver-transport', in: 'runtime/transport/sender.ts' };
const SENDER_LOADER = 'runtime/transport/deferred-transport.ts';

/** Bundled entries: output name in dist/ and source. Optional ones are skipped while their source does not exist. */
const ENTRIES = [
  { out: 'apm-weaver', in: 'runtime/index.ts', optional: false },
  { ...SENDER, optional: true },
  {
    out: 'apm-weaver-transport-worker',
    in: 'runtime/transport/apm-weaver-transport-worker.ts',
    optional: true,
  },
];

/**
 * The package entry for bundlers (the `module` condition of package.json's `exports["."]`, which Node ignores): the
 * same runtime with the sender inline, no dynamic import left. An application's bundler that writes one file (Rollup
 * or Rolldown with `output.file`) refuses an entry that would need a second chunk.
 */
const FOR_BUNDLERS = { out: 'apm-weaver-inline', in: 'runtime/index.ts' };
/** The sender bundlers get in place of SENDER.in: the in-thread HttpTransport only. */
const SENDER_FOR_BUNDLERS = 'runtime/transport/sender-in-thread.ts';

/**
 * Bundles the runtime's files in memory: the package entry, the sender and the worker entry (the last two when their
 * sources exist), and the entry for bundlers. `minify` is for the size bench only (bench/size.ts); the shipped files
 * are not minified. Resolves with esbuild's output files (absolute paths under `repoRoot`/dist), the name of each
 * file's entry and the bytes each source contributes to it.
 */
export async function buildRuntimeFiles(repoRoot = defaultRoot, { minify = false } = {}) {
  // esbuild is a devDependency: loaded here, not at the top, so the staleness check works without it.
  const { build } = await import('esbuild');
  const outdir = join(repoRoot, 'dist');
  const entryPoints = ENTRIES.filter((entry) => !entry.optional || existsSync(join(repoRoot, entry.in))).map(
    (entry) => ({ out: entry.out, in: join(repoRoot, entry.in) }),
  );
  const options = {
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify,
    write: false,
    outdir,
    // Only node: built-ins may stay imports; anything else must be bundled or the build fails (see below).
    external: ['node:*'],
    legalComments: 'none',
    banner: {
      js: '// apm-weaver runtime: runtime/*.ts bundled into one module by scripts/bundle-runtime.js (esbuild).',
    },
    metafile: true,
    // Input paths in the metafile are relative to this: runtime/...
    absWorkingDir: repoRoot,
    logLevel: 'warning',
  };
  const results = await Promise.all([
    build({
      ...options,
      entryPoints,
      plugins: [
        senderImport(repoRoot, 'apm-weaver-sender-file', { path: `./${SENDER.out}.js`, external: true }),
      ],
    }),
    build({
      ...options,
      entryPoints: [{ out: FOR_BUNDLERS.out, in: join(repoRoot, FOR_BUNDLERS.in) }],
      plugins: [
        senderImport(repoRoot, 'apm-weaver-sender-in-thread', { path: join(repoRoot, SENDER_FOR_BUNDLERS) }),
      ],
    }),
  ]);
  const names = [...ENTRIES, FOR_BUNDLERS].map((entry) => entry.out);
  return results.flatMap((result) => {
    checkNodeBuiltinsOnly(result.metafile);
    return result.outputFiles.map((file) => {
      const output = result.metafile.outputs[relative(repoRoot, file.path)];
      return {
        path: file.path,
        contents: file.contents,
        entry: names.find((name) => join(outdir, `${name}.js`) === file.path),
        inputs: Object.fromEntries(
          Object.entries(output?.inputs ?? {}).map(([input, { bytesInOutput }]) => [input, bytesInOutput]),
        ),
      };
    });
  });
}

/**
 * The runtime's rule (Node built-ins only) checked on what esbuild saw: every input is a runtime source, and the only
 * imports left are node: built-ins (and the entry's import of the sender's file).
 */
function checkNodeBuiltinsOnly(metafile) {
  for (const input of Object.keys(metafile.inputs)) {
    if (!input.startsWith('runtime/')) {
      throw new Error(`the bundle would contain ${input}: the runtime may use Node built-ins only`);
    }
  }
  for (const [file, { imports }] of Object.entries(metafile.outputs)) {
    for (const { path, external } of imports) {
      if (external && !path.startsWith('node:') && path !== `./${SENDER.out}.js`) {
        throw new Error(`${file} would import "${path}": the runtime may use Node built-ins only`);
      }
    }
  }
}

/** Writes dist/apm-weaver.js from runtime/index.ts (and the sender and worker files); resolves with its path. */
export async function bundleRuntime(repoRoot = defaultRoot) {
  const outputFiles = await buildRuntimeFiles(repoRoot);
  const outdir = join(repoRoot, 'dist');
  const outfile = join(repoRoot, RUNTIME_BUNDLE);
  if (!outputFiles.some((file) => file.path === outfile))
    throw new Error(`esbuild wrote no ${RUNTIME_BUNDLE}`);
  // Other processes (tests, a bench) may be loading the bundle right now: write aside, then rename over it,
  // so a reader sees the old file or the new one, never half of one. The package entry goes last, so a current
  // entry (what the staleness check looks at) implies current sender and worker files.
  mkdirSync(outdir, { recursive: true });
  const ordered = [...outputFiles].sort((a, b) => Number(a.path === outfile) - Number(b.path === outfile));
  for (const output of ordered) {
    const temporary = `${output.path}.${process.pid}.tmp`;
    writeFileSync(temporary, output.contents);
    renameSync(temporary, output.path);
  }
  return outfile;
}

/**
 * Where the entry's `import('./sender.js')` (runtime/transport/deferred-transport.ts) goes: `resolved` is esbuild's
 * answer for it. The package entry imports the sender's own file (so the entry does not pull the sender in); the
 * file for bundlers takes the in-thread sender inline.
 */
function senderImport(repoRoot, name, resolved) {
  const loader = join(repoRoot, SENDER_LOADER);
  return {
    name,
    setup(build) {
      build.onResolve({ filter: /^\.\/sender\.js$/ }, (args) =>
        args.kind === 'dynamic-import' && args.importer === loader ? resolved : undefined,
      );
    },
  };
}

/** Why the bundle needs (re)building: missing, or older than a runtime source; undefined when it is current. */
export function runtimeBundleStaleness(repoRoot = defaultRoot) {
  const bundle = join(repoRoot, RUNTIME_BUNDLE);
  if (!existsSync(bundle)) return `${RUNTIME_BUNDLE} is missing`;
  const builtAt = statSync(bundle).mtimeMs;
  const runtimeDir = join(repoRoot, 'runtime');
  for (const file of readdirSync(runtimeDir, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const source = join(runtimeDir, file);
    if (statSync(source).mtimeMs > builtAt)
      return `${relative(repoRoot, source)} is newer than ${RUNTIME_BUNDLE}`;
  }
  return undefined;
}

/** Rebuilds the bundle only when it is stale; resolves with the reason it was rebuilt, or undefined. */
export async function ensureRuntimeBundle(repoRoot = defaultRoot) {
  const reason = runtimeBundleStaleness(repoRoot);
  if (reason !== undefined) await bundleRuntime(repoRoot);
  return reason;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundleRuntime();
}
