// A long-running child process (a server, the demo) whose output a test follows as it arrives: wait until stdout
// says something, fail early when the process exits first, and read both streams at any time.
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

export type PipedProcess = ChildProcessByStdio<null, Readable, Readable>;

export interface WatchedOutput {
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Resolves with stdout once it satisfies `test`; rejects, with the output so far, on exit or after timeoutMs. */
  waitForOutput(test: (stdout: string) => boolean, timeoutMs: number): Promise<string>;
}

/** Starts collecting a spawned process's output (spawn it with stdio `['ignore', 'pipe', 'pipe']`). */
export function watchOutput(child: PipedProcess, label: string): WatchedOutput {
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
      for (const wake of waiters) wake();
    });
  });

  const waitForOutput = (test: (text: string) => boolean, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      const check = () => {
        if (test(stdout)) {
          finish();
          resolve(stdout);
        } else if (child.exitCode !== null) {
          finish();
          reject(
            new Error(
              `${label} exited (${child.exitCode}) before the expected output:\n${stdout}\n${stderr}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(`timed out waiting for ${label} output; stdout so far:\n${stdout}\nstderr:\n${stderr}`),
        );
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return { stdout: () => stdout, stderr: () => stderr, exited, waitForOutput };
}
