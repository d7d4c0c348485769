// vitest globalSetup: child processes that import 'apm-weaver' by name get dist/apm-weaver.js (package.json
// exports), which `npx tsc -p tsconfig.build.json` does not write. Rebuild it from runtime/*.ts when it is missing
// or older than a runtime source, so no test runs against a runtime older than the one it tests.
import { ensureRuntimeBundle } from '../../scripts/bundle-runtime.js';
import { repoRoot } from './spec.js';

export default async function setup(): Promise<void> {
  await ensureRuntimeBundle(repoRoot);
}
