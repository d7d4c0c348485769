// The package as a user installs it: `npm pack` (of the built dist/), the tarball installed offline into a scratch
// app outside the repo, its entry (the bundled runtime) imported and required, the bundle scenario built there with
// esbuild through `apm-weaver/esbuild`, and a plain JavaScript file run with `node --import apm-weaver/register`.
// Needs dist/ and the dependencies in the npm cache.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { startLocalIntake } from '../helpers/local-intake.js';
import { expectSuccess, runProcess } from '../helpers/processes.js';
import { repoRoot } from '../helpers/spec.js';
import { expectScenarioTrace, FIXTURE_DIR, runScenario, WOVEN_REPORT } from './helpers/scenario.js';

const ESBUILD_VERSION = (await import('esbuild')).version;

describe('the packed package, installed into a scratch app', () => {
  let appDir: string;
  let build: string;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'apm-weaver-pack-'));
    expectSuccess(
      await runProcess('npm', ['pack', '--pack-destination', root], { cwd: repoRoot }),
      'npm pack',
    );
    const tarball = readdirSync(root).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    appDir = join(root, 'app');
    mkdirSync(appDir);
    writeFileSync(
      join(appDir, 'package.json'),
      JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }),
    );
    const install = [
      'install',
      `../${tarball}`,
      `esbuild@${ESBUILD_VERSION}`,
      '--offline',
      '--no-audit',
      '--no-fund',
    ];
    expectSuccess(
      await runProcess('npm', install, { cwd: appDir, timeoutMs: 120_000 }),
      'npm install (offline)',
    );
    for (const name of ['src', 'build.mjs', 'apm-weaver.config.json']) {
      cpSync(join(FIXTURE_DIR, name), join(appDir, name), { recursive: true });
    }
    build = expectSuccess(
      await runProcess(process.execPath, ['build.mjs', 'esbuild', 'out'], { cwd: appDir }),
      'esbuild build',
    ).stdout;
  });

  it('is a real install, not a link to this checkout', () => {
    expect(realpathSync(join(appDir, 'node_modules/apm-weaver')).startsWith(realpathSync(repoRoot))).toBe(
      false,
    );
  });

  it('has the bundled runtime, dist/apm-weaver.js, as its entry for import and require', async () => {
    const installed = realpathSync(join(appDir, 'node_modules/apm-weaver'));
    const entry = join(installed, 'dist/apm-weaver.js');
    expect(existsSync(entry)).toBe(true);
    // esbuild made the bundle at build time; an install must not need it.
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain('esbuild');
    const load = (requireOrImport: string) =>
      [
        requireOrImport,
        "new Client({ serviceName: 'scratch-app', serverUrl: 'http://127.0.0.1:9' });",
        'console.log(getClient() instanceof Client);',
        '',
      ].join('\n');
    writeFileSync(
      join(appDir, 'entry.mjs'),
      `import { Client, getClient } from 'apm-weaver';\nconsole.log(import.meta.resolve('apm-weaver'));\n${load('')}`,
    );
    writeFileSync(
      join(appDir, 'entry.cjs'),
      load(
        "const { Client, getClient } = require('apm-weaver');\nconsole.log(require.resolve('apm-weaver'));",
      ),
    );
    const esm = await runProcess(process.execPath, ['entry.mjs'], { cwd: appDir });
    expect(expectSuccess(esm, 'import apm-weaver').stdout).toBe(`${pathToFileURL(entry).href}\ntrue\n`);
    const cjs = await runProcess(process.execPath, ['entry.cjs'], { cwd: appDir });
    expect(expectSuccess(cjs, 'require apm-weaver').stdout).toBe(`${entry}\ntrue\n`);
  });

  it('builds with apm-weaver/esbuild and the bundle reports the scenario', async () => {
    expect(build).toContain(WOVEN_REPORT);
    expectScenarioTrace(await runScenario(join(appDir, 'out/main.mjs'), { cwd: appDir }));
  });

  it("ships types: the esbuild entry's options are checked, a misspelt option is a type error", async () => {
    writeFileSync(
      join(appDir, 'types-check.ts'),
      [
        "import type { Plugin } from 'esbuild';",
        "import apmWeaver from 'apm-weaver/esbuild';",
        "export const plugin: Plugin = apmWeaver({ functions: ['src/**#*'], verbose: true, onWarning: (w) => w.line });",
        '// @ts-expect-error a misspelt option',
        "apmWeaver({ functon: ['x'] });",
        '',
      ].join('\n'),
    );
    const compilerOptions = { module: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] };
    writeFileSync(
      join(appDir, 'tsconfig.types.json'),
      JSON.stringify({ compilerOptions, files: ['types-check.ts'] }),
    );
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    const result = await runProcess(process.execPath, [tsc, '-p', 'tsconfig.types.json'], { cwd: appDir });
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  it('weaves a plain JavaScript app at load time with --import apm-weaver/register', async () => {
    writeFileSync(
      join(appDir, 'job.mjs'),
      [
        "import { Client } from 'apm-weaver';",
        "const client = new Client({ serviceName: 'scratch-app' });",
        '// @apm-span',
        'function work(n) { return n * 2; }',
        "client.beginTransaction('job');",
        'console.log(work(21));',
        "client.endTransaction('nightly job', 'ok');",
        'await client.close();',
        '',
      ].join('\n'),
    );
    const intake = await startLocalIntake();
    try {
      const result = await runProcess(process.execPath, ['--import', 'apm-weaver/register', 'job.mjs'], {
        cwd: appDir,
        env: { ...process.env, ELASTIC_APM_SERVER_URL: intake.url },
      });
      expect(expectSuccess(result, 'register run').stdout).toBe('42\n');
      const [transaction] = await intake.waitForKind('transaction', 1);
      const [span] = await intake.waitForKind('span', 1);
      expect(transaction?.data.name).toBe('nightly job');
      expect(span?.data).toMatchObject({ name: 'work', parent_id: transaction?.data.id, outcome: 'success' });
    } finally {
      await intake.close();
    }
  });
});
