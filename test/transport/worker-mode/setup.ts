// Runs a suite with the transport worker: the runtime's own tests run it from its TypeScript sources, where the
// built worker entry is not next to the module, so point it at dist/ (build first: npx tsc -p tsconfig.build.json).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TRANSPORT_WORKER_FILE } from '../../../runtime/transport/index.js';
import { repoRoot } from '../../helpers/spec.js';

const worker = join(repoRoot, 'dist/runtime/transport/apm-weaver-transport-worker.js');
if (!existsSync(worker))
  throw new Error(`${worker} is missing: build first with "npx tsc -p tsconfig.build.json"`);
(globalThis as Record<symbol, unknown>)[TRANSPORT_WORKER_FILE] = pathToFileURL(worker);
