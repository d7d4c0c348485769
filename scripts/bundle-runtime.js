// The package entry (`import ... from 'apm-weaver'`): the runtime as one ES module, dist/apm-weaver.js.
// Node pays a per-file cost for each module it loads (resolve, read, compile, link); runtime/index.ts pulls in ~50
// files, which made the import most of the runtime's startup. One file cuts that to a fraction.
// Not minified: users read our frames in their stack traces, and the runtime folds woven frames by function name
// (runtime/stack.ts: runInSpan, wovenCall, wovenAsync), so the names must come through as written.
// Bundled from the TypeScript sources, not from dist/runtime, so it is right even when tsc has not run since the
// last edit. `node:` built-ins stay imports (platform node); the runtime has no other dependency.
// The transport's worker thread loads its entry from a file next to the runtime module (new URL(..., import.meta.url)
// in runtime/transport/worker-transport.ts), so when that entry exists it is bundled beside, into dist/.
// Run directly (`node scripts/bundle-runtime.js`) or through scripts/after-build.js.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the bundle goes, relative to the repository root; package.json's `exports["."]` points here. */
export const RUNTIME_BUNDLE = 'dist/apm-weaver.js';

/** Bundled entries: output name in dist/ and source. Optional ones are skipped while their source does not exist. */
const ENTRIES = [
  { out: 'apm-weaver', in: 'runtime/index.ts', optional: false },
  {
    out: 'apm-weaver-transport-worker',
    in: 'runtime/transport/apm-weaver-transport-worker.ts',
    optional: true,
  },
];

/** Writes dist/apm-weaver.js from runtime/index.ts (and the worker entry); resolves with the bundle's path. */
export async function bundleRuntime(repoRoot = defaultRoot) {
  // esbuild is a devDependency: loaded here, not at the top, so the staleness check works without it.
  const { build } = await import('esbuild');
  const outdir = join(repoRoot, 'dist');
  const entryPoints = ENTRIES.filter((entry) => !entry.optional || existsSync(join(repoRoot, entry.in))).map(
    (entry) => ({ out: entry.out, in: join(repoRoot, entry.in) }),
  );
  const result = await build({
    entryPoints,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: false,
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
  });
  // The runtime's rule (Node built-ins only) checked on what esbuild saw: every input is a runtime source, and the
  // only imports left are node: built-ins.
  for (const input of Object.keys(result.metafile.inputs)) {
    if (!input.startsWith('runtime/')) {
      throw new Error(`the bundle would contain ${input}: the runtime may use Node built-ins only`);
    }
  }
  for (const [file, { imports }] of Object.entries(result.metafile.outputs)) {
    for (const { path, external } of imports) {
      if (external && !path.startsWith('node:')) {
        throw new Error(`${file} would import "${path}": the runtime may use Node built-ins only`);
      }
    }
  }
  const outfile = join(repoRoot, RUNTIME_BUNDLE);
  if (!result.outputFiles.some((file) => file.path === outfile))
    throw new Error(`esbuild wrote no ${RUNTIME_BUNDLE}`);
  // Other processes (tests, a bench) may be loading the bundle right now: write aside, then rename over it,
  // so a reader sees the old file or the new one, never half of one. The package entry goes last, so a current
  // entry (what the staleness check looks at) implies a current worker file.
  mkdirSync(outdir, { recursive: true });
  const ordered = [...result.outputFiles].sort(
    (a, b) => Number(a.path === outfile) - Number(b.path === outfile),
  );
  for (const output of ordered) {
    const temporary = `${output.path}.${process.pid}.tmp`;
    writeFileSync(temporary, output.contents);
    renameSync(temporary, output.path);
  }
  return outfile;
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
