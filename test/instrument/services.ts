// Child-process services for the distributed tracing tests: start a fixture under a given Node
// binary, wait for its {"port":N} line, call it, stop it.
import { type ChildProcess, spawn } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { repoRoot } from '../helpers/spec.js';

export interface Service {
  url: string;
  /** GET a path and parse the JSON answer. */
  get<T = Record<string, unknown>>(path: string): Promise<T>;
  /** stdout and stderr so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export async function startService(
  node: string,
  fixture: 'weaver-service.mjs' | 'elastic-service.cjs',
  env: Record<string, string>,
): Promise<Service> {
  const child = spawn(node, [join(repoRoot, 'fixtures/instrument', fixture)], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${fixture} did not start:\n${output}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /\{"port":(\d+)\}/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${fixture} exited with ${code}:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    get: <T>(path: string) => getJson<T>(url + path),
    output: () => output,
    stop: () => stop(child),
  };
}

/**
 * GET on a fresh connection: after a handler threw inside Node's HTTP parser callback, Node answers
 * the next request on that same connection with 400, so nothing is reused.
 */
function getJson<T>(url: string): Promise<T> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        try {
          resolve(JSON.parse(body) as T);
        } catch {
          reject(new Error(`GET ${url}: ${res.statusCode} ${JSON.stringify(body)}`));
        }
      });
    }).on('error', reject);
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
