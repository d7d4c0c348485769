// Real child processes on the package entry (dist/apm-weaver.js, with the sender's and the worker's files beside it):
// a process that never calls flush() exits on its own and its events arrive (the beforeExit flush through the
// worker); the same with the in-thread transport chosen by APM_WEAVER_TRANSPORT_THREAD=main, and with the package
// bundled into an app (no worker file: the in-thread transport, as before the worker existed).
// The vitest globalSetup rebuilds the bundle when a runtime source is newer.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutPreloads } from '../../runtime/transport/worker-launch.js';
import { assertValidIntake, type IntakeKind } from '../helpers/intake-schema.js';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { runProcess } from '../helpers/processes.js';
import { repoRoot } from '../helpers/spec.js';
import { freePort } from './fault-server.js';

const bundle = join(repoRoot, 'dist/apm-weaver.js');
const workerBesideBundle = join(repoRoot, 'dist/apm-weaver-transport-worker.js');
let dir: string;
let intake: LocalIntake;

beforeAll(async () => {
  for (const file of [bundle, workerBesideBundle])
    if (!existsSync(file))
      throw new Error(`${file} is missing: build first (npx tsc -p tsconfig.build.json)`);
  dir = mkdtempSync(join(tmpdir(), 'apm-weaver-worker-exit-'));
  intake = await startLocalIntake();
});
afterAll(async () => {
  await intake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A service that records a transaction with spans and an error, prints its transport's class, and just ends. */
async function runService(
  name: string,
  runtime: string,
  serverUrl: string,
  env: Record<string, string> = {},
  node = process.execPath,
) {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { Client, captureSpan } from ${JSON.stringify(pathToFileURL(runtime).href)};
const client = new Client({ serviceName: ${JSON.stringify(name)}, serverUrl: ${JSON.stringify(serverUrl)},
  logLevel: 'debug', apiRequestTime: '60s' });
client.beginTransaction('job');
for (let i = 0; i < 20; i++) captureSpan('step', { type: 'app.internal' }, () => i);
client.captureMessage('finished');
client.endTransaction('nightly', 'ok');
// The sender loads with the first event (runtime/transport/deferred-transport.ts): the class it loaded, at exit.
process.on('exit', () => console.log(client.transport.sender?.constructor.name));
`,
  );
  const childEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('ELASTIC_APM_') && !k.startsWith('APM_WEAVER_'),
    ),
  );
  const result = await runProcess(node, [file], {
    env: { ...childEnv, ...env },
    timeoutMs: 15_000,
  });
  if (result.timedOut) throw new Error(`${name} did not exit: ${result.output}`);
  return result;
}

function eventsOf(service: string) {
  return intake
    .events()
    .filter((e) => (e.metadata.service as { name?: string } | undefined)?.name === service);
}

describe('a process that never calls flush()', () => {
  for (const node of nodeBinaries()) {
    it(`exits on its own and the worker delivers its events before it goes (Node ${node.version})`, async () => {
      const service = `worker-exit-${node.version.replace(/\./g, '-')}`;
      const run = await runService(service, bundle, intake.url, {}, node.path);
      expect(run).toMatchObject({ code: 0, stdout: 'WorkerTransport\n', stderr: '' });
      const events = eventsOf(service);
      expect(events.map((e) => e.kind).sort()).toEqual([
        'error',
        ...Array<string>(20).fill('span'),
        'transaction',
      ]);
      for (const event of events) assertValidIntake(event.kind as IntakeKind, event.data);
    });
  }

  it('the same with APM_WEAVER_TRANSPORT_THREAD=main: the in-thread transport', async () => {
    const run = await runService('main-exit', bundle, intake.url, { APM_WEAVER_TRANSPORT_THREAD: 'main' });
    expect(run).toMatchObject({ code: 0, stdout: 'HttpTransport\n', stderr: '' });
    expect(eventsOf('main-exit')).toHaveLength(22);
  });

  it('the package bundled into an app (no worker file) sends from the main thread, nothing lost', async () => {
    // What an application's bundler makes of the package entry: one file, the sender's file (a dynamic import)
    // inlined, the worker's file (loaded by URL at run time) left behind.
    const app = mkdtempSync(join(dir, 'app-'));
    const copy = join(app, 'vendor.js');
    await build({
      entryPoints: [bundle],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: copy,
      logLevel: 'silent',
    });
    expect(readdirSync(app)).toEqual(['vendor.js']);
    const run = await runService('bundled-exit', copy, intake.url);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(
      /the transport worker file apm-weaver-transport-worker\.js is not next to the runtime/,
    );
    expect(eventsOf('bundled-exit')).toHaveLength(22);
  });

  it('a dead server does not keep it alive; the failure is logged once', async () => {
    const run = await runService('dead-server', bundle, `http://127.0.0.1:${await freePort()}`);
    expect(run.code).toBe(0);
    expect(run.stderr.match(/cannot send events/g)).toHaveLength(1);
  });
});

describe('an idle agent', () => {
  /**
   * The threads of a process that imports the runtime and does `body`, counted after a pause (Linux /proc);
   * `cpus: 1` runs it pinned to one CPU (taskset).
   */
  async function threadsAfter(body: string, cpus?: 1): Promise<number> {
    const file = join(dir, `threads-${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(
      file,
      `import { readdirSync } from 'node:fs';
import { Client } from ${JSON.stringify(pathToFileURL(bundle).href)};
${body}
setTimeout(() => console.log(readdirSync('/proc/self/task').length), 300);
`,
    );
    const run =
      cpus === 1
        ? await runProcess('taskset', ['-c', '0', process.execPath, file], { timeoutMs: 15_000 })
        : await runProcess(process.execPath, [file], { timeoutMs: 15_000 });
    expect(run.code).toBe(0);
    return Number(run.stdout.trim());
  }

  it.runIf(process.platform === 'linux')('starts no thread until the first event', async () => {
    const config = `{ serviceName: 'idle', serverUrl: ${JSON.stringify(intake.url)} }`;
    const none = await threadsAfter('');
    const idle = await threadsAfter(`new Client(${config});`);
    const busy = await threadsAfter(
      `const c = new Client(${config}); c.captureMessage('one'); await c.flush();`,
    );
    expect(idle).toBe(none);
    expect(busy).toBeGreaterThan(idle);
  });

  it.runIf(process.platform === 'linux' && existsSync('/usr/bin/taskset'))(
    'on one CPU (transportThread auto) sends from the main thread: no worker thread, events delivered',
    async () => {
      // A sender on the main thread starts libuv's thread pool (gzip), the worker compresses on its own thread: each
      // process starts the pool first (a file system call), so that only a worker thread makes a difference.
      const sendFrom = (name: string, thread: string) =>
        `await (await import('node:fs/promises')).stat('.');
const c = new Client({ serviceName: '${name}', serverUrl: ${JSON.stringify(intake.url)}, apiRequestTime: '60s'${thread} });
c.captureMessage('one'); await c.flush();`;
      const main = await threadsAfter(sendFrom('one-cpu-main', ", transportThread: 'main'"), 1);
      const auto = await threadsAfter(sendFrom('one-cpu', ''), 1);
      const worker = await threadsAfter(sendFrom('one-cpu-forced', ", transportThread: 'worker'"), 1);
      expect(auto).toBe(main);
      expect(worker).toBeGreaterThan(main);
      expect(eventsOf('one-cpu').map((e) => e.kind)).toEqual(['error']);
      expect(eventsOf('one-cpu-forced').map((e) => e.kind)).toEqual(['error']);
    },
  );
});

describe('NODE_OPTIONS preloads', () => {
  it('run on the application thread only, not in the transport worker', async () => {
    const hook = join(dir, 'preload-hook.mjs');
    writeFileSync(
      hook,
      `import { threadId } from 'node:worker_threads';\nconsole.error('preload in thread ' + threadId);\n`,
    );
    const run = await runService('preload', bundle, intake.url, {
      NODE_OPTIONS: `--import=${pathToFileURL(hook).href} --no-warnings`,
    });
    expect(run).toMatchObject({ code: 0, stdout: 'WorkerTransport\n', stderr: 'preload in thread 0\n' });
    expect(eventsOf('preload')).toHaveLength(22);
  });

  it("are taken out of the worker's NODE_OPTIONS, other options kept", () => {
    expect(withoutPreloads(undefined)).toBeUndefined();
    expect(withoutPreloads('--import apm-weaver/register')).toBeUndefined();
    expect(
      withoutPreloads(
        '--max-old-space-size=512 --import=./a.mjs -r ./b.cjs --require "./c d.cjs" --dns-result-order=ipv4first',
      ),
    ).toBe('--max-old-space-size=512 --dns-result-order=ipv4first');
    expect(withoutPreloads('--loader ts-node/esm --enable-source-maps')).toBe('--enable-source-maps');
  });
});
