// Runs the built `apm-weaver serve` as a real child process and follows its output.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../helpers/spec.js';
import { watchOutput } from '../helpers/watched-process.js';

export const cliPath = join(repoRoot, 'dist/bin/apm-weaver.js');

export function assertBuilt(): void {
  if (!existsSync(cliPath)) {
    throw new Error(
      `${cliPath} is missing: build first with "npx tsc -p tsconfig.build.json" (npm test does)`,
    );
  }
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves once stdout matches; rejects with the output so far after timeoutMs. */
  waitForOutput(test: (stdout: string) => boolean, timeoutMs?: number): Promise<string>;
  stop(): Promise<number | null>;
}

export async function startServeProcess(args: string[] = ['--port', '0']): Promise<ServeProcess> {
  assertBuilt();
  const child = spawn(process.execPath, [cliPath, 'serve', ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { stdout, exited, waitForOutput } = watchOutput(child, 'serve');
  const banner = await waitForOutput((text) => /traces page {2}(http:\/\/\S+)\//.test(text), 15_000);
  const url = /traces page {2}(http:\/\/\S+)\//.exec(banner)![1]!;
  return {
    child,
    url,
    output: stdout,
    waitForOutput: (test, timeoutMs = 15_000) => waitForOutput(test, timeoutMs),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Posts an NDJSON body gzipped, as the agents do; returns status and body text. */
export async function postIntake(baseUrl: string, ndjson: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${baseUrl}/intake/v2/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
    body: gzipSync(ndjson),
  });
  return { status: response.status, body: await response.text() };
}
