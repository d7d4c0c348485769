// Child processes: each agent is measured in a process of its own (peers patch the world), with a sink
// process beside it. A child reports by printing one line `RESULT <json>` on stdout.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { benchScript } from './paths.js';

const RESULT_PREFIX = 'RESULT ';

/** Starts the sink; resolves with its URL and a stop function. */
export async function startSink(): Promise<{ url: string; stats: () => Promise<unknown>; stop: () => void }> {
  const child = spawn(process.execPath, [benchScript('sink.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await firstLine(child);
  const { port } = JSON.parse(line) as { port: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stats: async () => (await fetch(`${url}/stats`)).json(),
    stop: () => child.stdin?.end(),
  };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`sink exited with ${code}`)));
  });
}

/** Runs a compiled bench script in a child process and returns the object it reported. */
export function runChild<T>(
  script: string,
  args: string[],
  nodeFlags: string[] = [],
  node = process.execPath,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [...nodeFlags, benchScript(script), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let result: T | undefined;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
      else process.stderr.write(`  [${script}] ${line}\n`);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (result !== undefined) resolve(result);
      else reject(new Error(`${script} exited with ${code} and no result`));
    });
  });
}

/** For child scripts: hand the result to the parent. */
export function reportResult(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}
