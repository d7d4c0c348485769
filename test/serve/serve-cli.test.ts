// The `apm-weaver serve` CLI as a real child process, fed real gzip NDJSON posts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTraceText, type Waterfall } from '../../server/waterfall/index.js';
import { specPath } from '../helpers/spec.js';
import { assertBuilt, cliPath, postIntake, type ServeProcess, startServeProcess } from './serve-process.js';
import { checkoutTrace, toNdjson } from './trace-builder.js';

/** The block the CLI printed for one trace (blocks are separated by blank lines). */
function printedBlock(stdout: string, traceId: string): string | undefined {
  return stdout.split('\n\n').find((block) => block.includes(`trace ${traceId}`));
}

describe('apm-weaver serve (child process)', () => {
  let serve: ServeProcess;

  beforeAll(async () => {
    serve = await startServeProcess(['--port', '0']);
  });
  afterAll(async () => {
    await serve?.stop();
  });

  it('binds to loopback and prints where agents should send events', () => {
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(serve.output()).toContain(`ELASTIC_APM_SERVER_URL=${serve.url}`);
  });

  it('prints a finished trace as a text waterfall that matches the page API', async () => {
    const trace = checkoutTrace({ service: 'cli-test' });
    const posted = await postIntake(serve.url, toNdjson(trace));
    expect(posted.status).toBe(202);
    const stdout = await serve.waitForOutput((text) => printedBlock(text, trace.traceId) !== undefined);
    const block = printedBlock(stdout, trace.traceId)!;
    expect(block).toContain('POST /checkout');
    expect(block).toContain('✖ CardDeclined: card 4242 declined (unhandled)');
    expect(block.split('\n').filter((line) => line.includes('│'))).toHaveLength(4);

    const response = await fetch(`${serve.url}/api/traces/${trace.traceId}`);
    expect(response.status).toBe(200);
    const { trace: waterfall } = (await response.json()) as { trace: Waterfall };
    expect(waterfall.rows.map((row) => [row.id, row.depth])).toEqual([
      [trace.transactionId, 0],
      [trace.validateId, 1],
      [trace.chargeId, 1],
      [trace.queryId, 2],
    ]);
    // Same assembly behind both: rendering the page's data gives exactly what the terminal printed.
    expect(`${block.replace(/^\n+|\n+$/g, '')}\n`).toBe(renderTraceText(waterfall));
  });

  it('assembles traces from the spec example posted as one gzip request', async () => {
    const ndjson = readFileSync(specPath('intake-v2', 'examples', 'transactions_spans.ndjson'), 'utf8');
    expect((await postIntake(serve.url, ndjson)).status).toBe(202);
    const traceId = '945254c567a5417eaaaaaaaaaaaaaaaa';
    const stdout = await serve.waitForOutput((text) => printedBlock(text, traceId) !== undefined);
    const rows = printedBlock(stdout, traceId)!
      .split('\n')
      .filter((line) => line.includes('│'));
    expect(rows).toHaveLength(5);
    const services = (await (await fetch(`${serve.url}/api/services`)).json()) as {
      services: { name: string }[];
    };
    expect(services.services.map((s) => s.name)).toEqual(
      expect.arrayContaining(['1234_service-12a3', 'cli-test']),
    );
  });

  it('answers bad payloads as APM Server does and keeps serving', async () => {
    const bad = await postIntake(serve.url, '{"metadata":{"service":{"name":"x"}}}\n{not json\n');
    expect(bad.status).toBe(400);
    const page = await fetch(`${serve.url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/);
    expect(await page.text()).toContain('<title>apm-weaver');
    // Agents asking GET / (no HTML) get the server information, as from APM Server.
    const info = (await (await fetch(`${serve.url}/`)).json()) as { version?: string };
    expect(info.version).toBeTypeOf('string');
    expect((await fetch(`${serve.url}/api/traces/${'f'.repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${serve.url}/api/traces`, { method: 'POST' })).status).toBe(405);
  });

  it('serves the page only to requests addressed to localhost (DNS rebinding)', async () => {
    const { port } = new URL(serve.url);
    const statusFor = (host: string, path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path, headers: { host, accept: 'text/html' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await statusFor(`rebound.example:${port}`, '/api/traces')).toBe(403);
    expect(await statusFor(`rebound.example:${port}`, '/')).toBe(403);
    expect(await statusFor(`localhost:${port}`, '/api/traces')).toBe(200);
    expect(await statusFor(`[::1]:${port}`, '/')).toBe(200);
  });

  it('stops cleanly on SIGTERM', async () => {
    const other = await startServeProcess(['--port', '0']);
    expect(await other.stop()).toBe(0);
  });
});

describe('apm-weaver CLI arguments', () => {
  const run = (...args: string[]) => {
    assertBuilt();
    return spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 20_000 });
  };

  it('is an executable script with a node shebang', () => {
    assertBuilt();
    expect(readFileSync(cliPath, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('prints help for --help', () => {
    const result = run('serve', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: apm-weaver serve [--port 8200] [--host 127.0.0.1]');
    expect(run('--help').stdout).toContain('serve');
  });

  it('refuses bad arguments with a message and exit code 2', () => {
    const badPort = run('serve', '--port', 'eighty');
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toContain('--port must be an integer from 0 to 65535, got "eighty"');
    const unknown = run('serve', '--colour');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--colour'");
    expect(run('launch').status).toBe(1);
  });
});
