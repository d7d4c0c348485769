// tsc does not set the executable bit; the CLI must run as ./dist/bin/apm-weaver.js from a checkout too.
import { chmodSync, existsSync } from 'node:fs';

const cli = new URL('../dist/bin/apm-weaver.js', import.meta.url);
if (existsSync(cli)) chmodSync(cli, 0o755);
