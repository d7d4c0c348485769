// The package entry as shipped: `apm-weaver` resolves to dist/apm-weaver.js, the runtime bundled into one module
// (scripts/bundle-runtime.js; kept current by the vitest globalSetup). It must offer exactly the API of
// runtime/index.ts, import nothing but Node built-ins, be the only runtime anything we ship loads, and serve woven
// code that imports it (ES modules) or requires it (CommonJS) in a real process.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleRuntime, RUNTIME_BUNDLE, runtimeBundleStaleness } from '../../scripts/bundle-runtime.js';
import { weave } from '../../transformer/index.js';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { expectSuccess, runProcess } from '../helpers/processes.js';
import { repoRoot } from '../helpers/spec.js';

const bundlePath = join(repoRoot, RUNTIME_BUNDLE);

/** Every module specifier a built file imports or requires, static or dynamic. */
function specifiersIn(code: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1] as string));
}

function builtFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => join(dir, file));
}

describe('dist/apm-weaver.js, the package entry', () => {
  it('is what `apm-weaver` resolves to, for import and for require', async () => {
    const probe = [
      "import { createRequire } from 'node:module';",
      "console.log(import.meta.resolve('apm-weaver'));",
      "console.log(createRequire(import.meta.url).resolve('apm-weaver'));",
    ].join('\n');
    const result = expectSuccess(
      await runProcess(process.execPath, ['--input-type=module', '-e', probe], { cwd: repoRoot }),
      'resolve apm-weaver',
    );
    expect(result.stdout.trim().split('\n')).toEqual([pathToFileURL(bundlePath).href, bundlePath]);
  });

  it('exports exactly the names runtime/index.ts exports', async () => {
    const bundled = await import(/* @vite-ignore */ pathToFileURL(bundlePath).href);
    const source = await import('../../runtime/index.js');
    expect(Object.keys(bundled).sort()).toEqual(Object.keys(source).sort());
    // Not an empty match: the API of DESIGN.md is there.
    expect(Object.keys(bundled)).toEqual(
      expect.arrayContaining(['Client', 'getClient', 'wovenCall', 'OUTCOME']),
    );
  });

  it("imports nothing but Node built-ins, and the sender's file beside it only when an event is sent", () => {
    const code = readFileSync(bundlePath, 'utf8');
    const specifiers = specifiersIn(code);
    expect(specifiers).toContain('node:async_hooks');
    expect(specifiers.filter((s) => !s.startsWith('node:'))).toEqual(['./apm-weaver-transport.js']);
    // A dynamic import (runtime/transport/deferred-transport.ts), not a static one.
    expect(code).toContain('import("./apm-weaver-transport.js")');
    const sender = join(dirname(bundlePath), 'apm-weaver-transport.js');
    const senderCode = readFileSync(sender, 'utf8');
    expect(senderCode).toContain('var WorkerTransport = class');
    expect(specifiersIn(senderCode).filter((s) => !s.startsWith('node:'))).toEqual([]);
  });

  it('gives bundlers (the `module` condition) the same runtime with the sender inline: one file, no import()', async () => {
    // Rollup and Rolldown writing one file (output.file) refuse an entry that needs a second chunk.
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string>>;
    };
    const forBundlers = manifest.exports['.']?.module;
    expect(forBundlers).toBe('./dist/apm-weaver-inline.js');
    const file = join(repoRoot, forBundlers as string);
    const code = readFileSync(file, 'utf8');
    expect(specifiersIn(code).filter((s) => !s.startsWith('node:'))).toEqual([]);
    // The sender is there, evaluated only when the first event loads it (esbuild's lazy module init): the in-thread
    // one only, since a bundled runtime has no worker file beside it (runtime/transport/sender-in-thread.ts).
    expect(code).toContain('HttpTransport = class');
    expect(code).not.toMatch(/WorkerTransport = class|RingDrain = class|"apm-weaver-transport-worker\.js"/);
    const bundled = await import(/* @vite-ignore */ pathToFileURL(file).href);
    const source = await import('../../runtime/index.js');
    expect(Object.keys(bundled).sort()).toEqual(Object.keys(source).sort());
  });

  it("has the transport worker's entry beside it, bundled the same way, when the runtime has one", () => {
    // worker-transport.ts loads it as new URL('./apm-weaver-transport-worker.js', import.meta.url).
    const source = join(repoRoot, 'runtime/transport/apm-weaver-transport-worker.ts');
    const worker = join(dirname(bundlePath), 'apm-weaver-transport-worker.js');
    expect(existsSync(worker)).toBe(existsSync(source));
    if (!existsSync(worker)) return;
    const specifiers = specifiersIn(readFileSync(worker, 'utf8'));
    expect(specifiers).toContain('node:worker_threads');
    expect(specifiers.filter((s) => !s.startsWith('node:'))).toEqual([]);
  });

  it('is the only runtime we ship a way to load: nothing outside dist/runtime imports dist/runtime', () => {
    const runtimeDir = join(repoRoot, 'dist/runtime');
    const offenders = ['plugins', 'server', 'bin', 'transformer'].flatMap((folder) =>
      builtFiles(join(repoRoot, 'dist', folder)).flatMap((file) =>
        specifiersIn(readFileSync(file, 'utf8'))
          .filter((s) => s.startsWith('.') && resolve(dirname(file), s).startsWith(`${runtimeDir}/`))
          .map((s) => `${relative(repoRoot, file)} imports ${s}`),
      ),
    );
    expect(offenders).toEqual([]);
  });
});

describe('woven code against the bundled entry, in a real process', () => {
  let appDir: string;
  let intake: LocalIntake;

  beforeAll(async () => {
    // Resolves `apm-weaver` as a linked install does: node_modules/apm-weaver -> this checkout -> its exports.
    appDir = mkdtempSync(join(tmpdir(), 'apm-weaver-bundle-'));
    mkdirSync(join(appDir, 'node_modules'));
    symlinkSync(repoRoot, join(appDir, 'node_modules/apm-weaver'), 'dir');
    intake = await startLocalIntake();
  });

  afterAll(async () => {
    await intake?.close();
    rmSync(appDir, { recursive: true, force: true });
  });

  // The same job in both module systems: a span that succeeds, one that throws and is captured.
  const job = (load: string, finish: string) =>
    [
      load,
      'const client = new Client(JSON.parse(process.env.CLIENT_CONFIG));',
      '// @apm-span',
      'function charge(amount) {',
      "  if (amount > 100) throw new Error('declined');",
      '  return amount;',
      '}',
      "client.beginTransaction('job');",
      'console.log(charge(5));',
      'try { charge(500); } catch (error) { client.captureException(error); }',
      'client.endTransaction(process.env.JOB_NAME, "ok");',
      finish,
      '',
    ].join('\n');

  async function runWoven(file: string, source: string, jobName: string) {
    const woven = weave(source, join(appDir, file));
    expect(woven?.woven).toEqual(['charge']);
    writeFileSync(join(appDir, file), woven?.code ?? '');
    const env = { ...process.env, CLIENT_CONFIG: JSON.stringify(intake.clientConfig()), JOB_NAME: jobName };
    const result = await runProcess(process.execPath, [file], { cwd: appDir, env });
    expect(expectSuccess(result, `node ${file}`).stdout).toBe('5\n');
    const transaction = (await intake.waitForKind('transaction', 1)).find((e) => e.data.name === jobName);
    expect(transaction).toBeDefined();
    const id = transaction?.data.id;
    const spans = intake.dataOf('span').filter((span) => span.transaction_id === id);
    expect(spans.map((span) => [span.name, span.parent_id, span.outcome])).toEqual([
      ['charge', id, 'success'],
      ['charge', id, 'failure'],
    ]);
    const error = intake.dataOf('error').find((e) => e.transaction_id === id) as
      | { exception: { message: string; stacktrace: { function?: string; filename: string }[] } }
      | undefined;
    expect(error?.exception.message).toBe('declined');
    // The bundle keeps the runtime's function names, so its frames still fold into the woven function's frame.
    expect(error?.exception.stacktrace[0]).toMatchObject({ function: 'charge', filename: file });
  }

  it('an ES module that imports apm-weaver', async () => {
    await runWoven(
      'job.mjs',
      job("import { Client } from 'apm-weaver';", 'await client.close();'),
      'bundled esm job',
    );
  });

  it("the sender's file, loaded with the first event, takes the entry's spans as binary records", async () => {
    // dist/apm-weaver-transport.js has its own copy of span-event.ts: it must know the entry's span events by their
    // mark (SPAN_EVENT_V1), not by class, or every span would travel as a JSON line: same intake, more CPU.
    // The span writer's string table (WorkerTransport's private `input.spans`) shows which way the span went. Once
    // the sender is loaded, the entry's spans reach it as their parts (REPORT_PLAIN_SPAN_V1, sendPlainSpan).
    const file = join(appDir, 'records.mjs');
    writeFileSync(
      file,
      [
        "import { Client, captureSpan } from 'apm-weaver';",
        "const client = new Client({ ...JSON.parse(process.env.CLIENT_CONFIG), transportThread: 'worker' });",
        "client.beginTransaction('records');",
        "captureSpan('recorded step', { type: 'app' }, () => 1);",
        "client.endTransaction('records', 'ok');",
        'await client.flush();',
        'const sender = client.transport.sender;',
        'let parts = 0;',
        'const sendPlainSpan = sender.sendPlainSpan;',
        'sender.sendPlainSpan = function (...args) { parts++; return sendPlainSpan.apply(this, args); };',
        "client.beginTransaction('parts');",
        "captureSpan('step as parts', { type: 'app' }, () => 1);",
        "client.endTransaction('parts', 'ok');",
        'await client.flush();',
        'const strings = sender.input.spans.strings;',
        "console.log(sender.constructor.name, strings.has('recorded step'), strings.has('step as parts'), parts);",
        'await client.close();',
      ].join('\n'),
    );
    const env = { ...process.env, CLIENT_CONFIG: JSON.stringify(intake.clientConfig()) };
    const result = await runProcess(process.execPath, [file], { cwd: appDir, env });
    expect(expectSuccess(result, 'node records.mjs').stdout).toBe('WorkerTransport true true 1\n');
    expect(intake.dataOf('span').filter((span) => span.name === 'recorded step')).toHaveLength(1);
    expect(intake.dataOf('span').filter((span) => span.name === 'step as parts')).toHaveLength(1);
  });

  it('the file bundlers get sends from the application thread, also when the worker is asked for', async () => {
    const inline = pathToFileURL(join(repoRoot, 'dist/apm-weaver-inline.js')).href;
    const file = join(appDir, 'inline.mjs');
    writeFileSync(
      file,
      [
        `import { Client, captureSpan } from ${JSON.stringify(inline)};`,
        'const logs = [];',
        'const logger = Object.fromEntries(',
        "  ['error', 'warn', 'info', 'debug'].map((level) => [level, (message) => logs.push(message)]),",
        ');',
        'const client = new Client({',
        '  ...JSON.parse(process.env.CLIENT_CONFIG),',
        "  transportThread: 'worker',",
        "  logLevel: 'debug',",
        '  logger,',
        '});',
        "client.beginTransaction('inline');",
        "captureSpan('inline step', { type: 'app' }, () => 1);",
        "client.endTransaction('inline', 'ok');",
        'await client.flush();',
        'console.log(client.transport.sender.constructor.name);',
        "console.log(logs.filter((line) => line.includes('bundled into the application')).length);",
        'await client.close();',
      ].join('\n'),
    );
    const env = { ...process.env, CLIENT_CONFIG: JSON.stringify(intake.clientConfig()) };
    const result = await runProcess(process.execPath, [file], { cwd: appDir, env });
    expect(expectSuccess(result, 'node inline.mjs').stdout).toBe('HttpTransport\n1\n');
    expect(intake.dataOf('span').filter((span) => span.name === 'inline step')).toHaveLength(1);
  });

  it('a CommonJS module that requires apm-weaver', async () => {
    await runWoven(
      'job.cjs',
      job("const { Client } = require('apm-weaver');", 'client.close().then(() => {});'),
      'bundled cjs job',
    );
  });
});

describe('scripts/bundle-runtime.js on a scratch package', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'apm-weaver-bundle-script-'));
    mkdirSync(join(root, 'runtime/transport'), { recursive: true });
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('builds the entry, and calls it stale when missing or older than any runtime source', async () => {
    writeFileSync(join(root, 'runtime/index.ts'), "export { later } from './transport/later.js';\n");
    writeFileSync(
      join(root, 'runtime/transport/later.ts'),
      'export const later = (n: number): number => n + 1;\n',
    );
    expect(runtimeBundleStaleness(root)).toBe(`${RUNTIME_BUNDLE} is missing`);
    await bundleRuntime(root);
    expect(runtimeBundleStaleness(root)).toBeUndefined();
    const built = await import(/* @vite-ignore */ pathToFileURL(join(root, RUNTIME_BUNDLE)).href);
    expect(built.later(1)).toBe(2);
    // A source in a subfolder touched after the build.
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'runtime/transport/later.ts'), future, future);
    expect(runtimeBundleStaleness(root)).toBe(`runtime/transport/later.ts is newer than ${RUNTIME_BUNDLE}`);
  });

  it('refuses a runtime that would bundle a package or import anything but a node: built-in', async () => {
    // The scratch package resolves packages from this repository's node_modules.
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
    writeFileSync(join(root, 'runtime/index.ts'), "export { default as pm } from 'picomatch';\n");
    await expect(bundleRuntime(root)).rejects.toThrow(
      /would contain \S*node_modules\/picomatch\/\S*: the runtime may use Node built-ins only/,
    );
    writeFileSync(join(root, 'runtime/index.ts'), "export { readFileSync } from 'fs';\n");
    await expect(bundleRuntime(root)).rejects.toThrow(
      /would import "fs": the runtime may use Node built-ins only/,
    );
    writeFileSync(join(root, 'runtime/index.ts'), "export { readFileSync } from 'node:fs';\n");
    await expect(bundleRuntime(root)).resolves.toBe(join(root, RUNTIME_BUNDLE));
  });
});
