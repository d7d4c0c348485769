// One scenario, every bundler: fixtures/bundle-app built through apm-weaver's plugin by each real bundler, then
// run under plain node against a local intake. Needs dist/ (npm test builds it first).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSuccess, type ProcessResult, runProcess } from '../helpers/processes.js';
import { expectScenarioTrace, FIXTURE_DIR, runScenario, WOVEN_REPORT } from './helpers/scenario.js';

const BUNDLERS = [
  { name: 'vite', output: 'main.mjs' },
  { name: 'rollup', output: 'main.mjs' },
  { name: 'rolldown', output: 'main.mjs' },
  { name: 'webpack', output: 'main.cjs' },
  { name: 'rspack', output: 'main.cjs' },
  { name: 'esbuild', output: 'main.mjs' },
] as const;

/** The key the runtime keeps its global state under: once per copy of the runtime in a bundle. */
const RUNTIME_COPY_MARK = /Symbol\.for\(["']apm-weaver\.runtime\.v1["']\)/g;

describe.each(BUNDLERS)('$name', ({ name, output }) => {
  let build: ProcessResult;
  let bundle: string;
  let outDir: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), `apm-weaver-${name}-`));
    build = expectSuccess(
      await runProcess(process.execPath, ['build.mjs', name, outDir], { cwd: FIXTURE_DIR }),
      `${name} build`,
    );
    bundle = join(outDir, output);
  });

  it('prints one build report: what was woven, file by file, and no warnings', () => {
    expect(build.stdout.split(WOVEN_REPORT)).toHaveLength(2);
    expect(build.stdout).toContain(
      'src/orders/order-service.ts: OrderService.load, OrderService.validate, OrderService.total',
    );
    expect(build.stdout).toContain('src/pricing/pricing.ts: priceWithTax, roundCents');
    expect(build.stdout).not.toContain('warning');
  });

  // webpack and rspack once emitted every file of the package's dist/ as assets: the runtime built the worker's URL
  // with `new URL(<template>, import.meta.url)`, which they read as "any file of this folder".
  it('emits the bundle and its source map, nothing from the package beside them', () => {
    expect(readdirSync(outDir).sort()).toEqual([output, `${output}.map`]);
  });

  it('bundles exactly one copy of the runtime, resolved from the app', () => {
    const code = readFileSync(bundle, 'utf8');
    expect(code.match(RUNTIME_COPY_MARK)).toHaveLength(1);
  });

  it('runs under plain node and reports the expected spans, outcomes and TypeScript error frame', async () => {
    expectScenarioTrace(await runScenario(bundle));
  });
});
