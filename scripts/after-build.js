// Steps tsc cannot do, run after `tsc -p tsconfig.build.json`.
import { chmodSync, existsSync } from 'node:fs';
import { bundleRuntime } from './bundle-runtime.js';

// tsc does not set the executable bit; the CLI must run as ./dist/bin/apm-weaver.js from a checkout too.
const cli = new URL('../dist/bin/apm-weaver.js', import.meta.url);
if (existsSync(cli)) chmodSync(cli, 0o755);

// The package entry: the runtime in one file (scripts/bundle-runtime.js says why).
await bundleRuntime();
