// Real child processes using the built transport (dist/): an idle process exits by itself, its
// events delivered by the beforeExit flush; a dead or silent server does not keep it alive; code
// after `await close()` runs. Build first: `npx tsc -p tsconfig.build.json` (npm test does).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { runProcess } from '../helpers/processes.js';
import { repoRoot } from '../helpers/spec.js';
import { freePort, startFaultServer } from './fault-server.js';

const built = join(repoRoot, 'dist/runtime/transport/index.js');
const builtConfig = join(repoRoot, 'dist/runtime/config.js');
let dir: string;

beforeAll(() => {
  if (!existsSync(built))
    throw new Error(`${built} is missing: build first with "npx tsc -p tsconfig.build.json"`);
  dir = mkdtempSync(join(tmpdir(), 'apm-weaver-exit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a module body in a child process with `createHttpTransport`, `config(url)` and `span(n)` in scope. */
async function runChild(name: string, serverUrl: string, body: string): Promise<Exit> {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { createHttpTransport } from ${JSON.stringify(pathToFileURL(built).href)};
import { resolveConfig } from ${JSON.stringify(pathToFileURL(builtConfig).href)};
const logger = { error: (m) => console.error(m), warn: (m) => console.error(m), info: (m) => console.error(m), debug() {} };
// The resolver's defaults (no environment), with a request time long enough that only exit and close end requests.
const { config } = resolveConfig({ serviceName: 'exit-test', serverUrl: ${JSON.stringify(serverUrl)}, apiRequestTime: '60s' }, undefined, {});
const span = (n) => ({ id: n.toString(16).padStart(16, '0'), trace_id: '0123456789abcdef0123456789abcdef',
  parent_id: 'abcdefabcdef0123', transaction_id: 'abcdefabcdef0123', name: 'span ' + n, type: 'app',
  timestamp: 1700000000000000, duration: 1 });
${body}
`,
  );
  // The Client reads ELASTIC_APM_* variables: the child gets none from whoever runs the tests.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ELASTIC_APM_')));
  // A hanging child is the failure this file exists to catch.
  const { code, stdout, stderr, timedOut } = await runProcess(process.execPath, [file], {
    env,
    timeoutMs: 15_000,
  });
  if (timedOut) throw new Error(`child ${name} did not exit; stdout: ${stdout}; stderr: ${stderr}`);
  return { code, stdout, stderr };
}

describe('process exit', () => {
  let intake: LocalIntake;
  beforeAll(async () => {
    intake = await startLocalIntake();
  });
  afterAll(() => intake.close());

  it('an idle process exits on its own, and beforeExit delivers what it queued', async () => {
    const before = intake.dataOf('span').length;
    const exit = await runChild(
      'idle',
      intake.url,
      `const t = createHttpTransport(config, logger);
for (let i = 0; i < 3; i++) t.send('span', span(i));
console.log('done');`,
    );
    expect(exit).toMatchObject({ code: 0, stdout: 'done\n', stderr: '' });
    expect(intake.dataOf('span').length - before).toBe(3);
  });

  it('code after `await flush()` and `await close()` runs before the process exits', async () => {
    const before = intake.dataOf('span').length;
    const exit = await runChild(
      'await-close',
      intake.url,
      `const t = createHttpTransport(config, logger);
t.send('span', span(1));
await t.flush();
console.log('flushed', t.stats.sent);
t.send('span', span(2));
await t.close();
console.log('closed', t.stats.sent);`,
    );
    expect(exit).toMatchObject({ code: 0, stdout: 'flushed 1\nclosed 2\n', stderr: '' });
    expect(intake.dataOf('span').length - before).toBe(2);
  });

  it('a real Client: the process exits on its own and its transaction and error arrive', async () => {
    const before = intake.events().length;
    const client = pathToFileURL(join(repoRoot, 'dist/runtime/index.js')).href;
    const exit = await runChild(
      'client',
      intake.url,
      `const { Client } = await import(${JSON.stringify(client)});
const c = new Client({ serverUrl: config.serverUrl, serviceName: 'exit-client', apiRequestTime: '60s' });
c.beginTransaction('job');
c.captureException(new Error('late'));
c.endTransaction('nightly', 'success');
console.log('done');`,
    );
    expect(exit).toMatchObject({ code: 0, stdout: 'done\n', stderr: '' });
    const kinds = intake
      .events()
      .slice(before)
      .map((e) => e.kind);
    expect(kinds.sort()).toEqual(['error', 'transaction']);
  });

  it('a dead server does not keep the process alive; the failure is logged once', async () => {
    const port = await freePort();
    const exit = await runChild(
      'dead',
      `http://127.0.0.1:${port}`,
      `const t = createHttpTransport(config, logger);
for (let i = 0; i < 100000; i++) t.send('span', span(i));
process.on('exit', () => console.log(JSON.stringify(t.stats)));`,
    );
    expect(exit.code).toBe(0);
    expect(JSON.parse(exit.stdout)).toEqual({ queued: 1024, dropped: 100000 - 1024, failed: 1024, sent: 0 });
    expect(exit.stderr.trim().split('\n')).toHaveLength(1);
    expect(exit.stderr).toMatch(/ECONNREFUSED/);
  });

  it('a server that never answers holds the exit only for the short beforeExit cap', async () => {
    const server = await startFaultServer({ kind: 'silent' });
    try {
      const exit = await runChild(
        'silent',
        server.url,
        `const t = createHttpTransport(config, logger, { exitFlushTimeoutMs: 300 });
t.send('span', span(1));
process.on('exit', () => console.log(JSON.stringify(t.stats)));`,
      );
      expect(exit.code).toBe(0);
      // The request was still waiting for its answer when the cap ran out: neither sent nor failed.
      expect(JSON.parse(exit.stdout)).toEqual({ queued: 1, dropped: 0, failed: 0, sent: 0 });
      expect(server.requests).toBe(1);
    } finally {
      await server.close();
    }
  });
});
