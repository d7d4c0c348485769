// A woven file outside the app that cannot resolve `apm-weaver` from where it stands (a linked workspace package
// without the dependency): it gets the app's copy, so the build works and the bundle still holds one runtime.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startLocalIntake } from '../helpers/local-intake.js';
import { expectSuccess, runProcess } from '../helpers/processes.js';
import { repoRoot } from '../helpers/spec.js';

let appDir: string;

beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), 'apm-weaver-workspace-'));
  appDir = join(root, 'app');
  mkdirSync(join(root, 'lib'));
  mkdirSync(join(appDir, 'node_modules'), { recursive: true });
  symlinkSync(repoRoot, join(appDir, 'node_modules/apm-weaver'), 'dir');
  symlinkSync(join(repoRoot, 'node_modules/esbuild'), join(appDir, 'node_modules/esbuild'), 'dir');
  writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  writeFileSync(
    join(root, 'lib/package.json'),
    JSON.stringify({ name: 'lib', private: true, type: 'module' }),
  );
  writeFileSync(
    join(root, 'lib/greet.js'),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text is JavaScript source with a template literal
    '// @apm-span\nexport function greet(name) {\n  return `hello ${name}`;\n}\n',
  );
  writeFileSync(
    join(appDir, 'main.js'),
    [
      "import { Client } from 'apm-weaver';",
      "import { greet } from '../lib/greet.js';",
      "const client = new Client({ serviceName: 'workspace-app' });",
      "client.beginTransaction('job');",
      "console.log(greet('lib'));",
      "client.endTransaction('greeting', 'ok');",
      'await client.close();',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(appDir, 'build.mjs'),
    [
      "import * as esbuild from 'esbuild';",
      "import apmWeaver from 'apm-weaver/esbuild';",
      "await esbuild.build({ entryPoints: ['main.js'], bundle: true, platform: 'node', format: 'esm', outfile: 'out/main.mjs', plugins: [apmWeaver({ include: ['**/*.js'] })] });",
      '',
    ].join('\n'),
  );
});

async function expectGreetSpan(args: string[]): Promise<void> {
  const intake = await startLocalIntake();
  try {
    const run = await runProcess(process.execPath, args, {
      cwd: appDir,
      env: { ...process.env, ELASTIC_APM_SERVER_URL: intake.url },
    });
    expect(expectSuccess(run, `node ${args.join(' ')}`).stdout).toBe('hello lib\n');
    const [transaction] = await intake.waitForKind('transaction', 1);
    const [span] = await intake.waitForKind('span', 1);
    expect(span?.data).toMatchObject({ name: 'greet', parent_id: transaction?.data.id });
  } finally {
    await intake.close();
  }
}

describe('a woven file outside the app', () => {
  it('bundles with the app copy of the runtime (esbuild), once', async () => {
    expectSuccess(await runProcess(process.execPath, ['build.mjs'], { cwd: appDir }), 'esbuild build');
    const bundle = readFileSync(join(appDir, 'out/main.mjs'), 'utf8');
    expect(bundle.match(/Symbol\.for\(["']apm-weaver\.runtime\.v1["']\)/g)).toHaveLength(1);
    await expectGreetSpan(['out/main.mjs']);
  });

  it('loads with the app copy of the runtime (--import)', async () => {
    await expectGreetSpan(['--import', 'apm-weaver/register', 'main.js']);
  });
});
