// The bundle scenario compiled by `tspc` (ts-patch) with the tsconfig plugin entry
// `{ "transform": "apm-weaver/typescript", "functions": [...] }`: no bundler, no hook, the same spans. Needs dist/.
import { cpSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, it } from 'vitest';
import { expectSuccess, runProcess } from '../helpers/processes.js';
import { repoRoot } from '../helpers/spec.js';
import { makeLinkedAppDir, setModuleType } from './helpers/app-dir.js';
import { expectScenarioTrace, FIXTURE_DIR, runScenario } from './helpers/scenario.js';

const TSPC = join(repoRoot, 'node_modules/ts-patch/bin/tspc.js');
let appDir: string;

beforeAll(async () => {
  // ts-patch resolves "apm-weaver/typescript" from the project, as it would in an app that installed the package.
  appDir = makeLinkedAppDir('apm-weaver-tspc-');
  cpSync(join(FIXTURE_DIR, 'src'), join(appDir, 'src'), { recursive: true });
  cpSync(join(FIXTURE_DIR, 'tsconfig.json'), join(appDir, 'tsconfig.json'));
  symlinkSync(join(repoRoot, 'node_modules/@types'), join(appDir, 'node_modules/@types'), 'dir');
  setModuleType(appDir, 'module');
  const compile = await runProcess(process.execPath, [TSPC, '-p', 'tsconfig.json'], { cwd: appDir });
  expectSuccess(compile, 'tspc');
});

it('tspc output reports the same spans, nesting, outcomes and TypeScript error frame', async () => {
  expectScenarioTrace(await runScenario(join(appDir, 'out/main.js'), { cwd: appDir }));
});
