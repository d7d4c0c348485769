// Runs `npm run demo`'s script as a real child process and reads what it prints.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers/spec.js';
import { type PipedProcess, type WatchedOutput, watchOutput } from '../helpers/watched-process.js';

export interface DemoProcess extends WatchedOutput {
  child: PipedProcess;
}

export function startDemo(
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
  nodeBinary = process.execPath,
): DemoProcess {
  const child = spawn(nodeBinary, [join(repoRoot, 'scripts/demo.js'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, ...watchOutput(child, 'the demo') };
}

/** A printed terminal waterfall: its trace id, its text as printed, and its rows. */
export interface PrintedTrace {
  traceId: string;
  text: string;
  rows: Array<{ name: string; depth: number; duration: string; type: string; outcome: string }>;
  errorLines: string[];
}

const ROW = /^ {2}( *)(.+?) +│[^│]*│ +(\S+ \S+) {2}(\S+) +(\S+)$/;

/** Every waterfall in the demo's output, in the order printed (a trace printed again appears twice). */
export function printedTraces(stdout: string): PrintedTrace[] {
  const lines = stdout.split('\n');
  const traces: PrintedTrace[] = [];
  for (const [index, line] of lines.entries()) {
    const id = /· {2}trace ([0-9a-f]{32})$/.exec(line)?.[1];
    if (!id) continue;
    const block = [line];
    for (let i = index + 1; i < lines.length && lines[i] !== ''; i++) block.push(lines[i]!);
    const rows = block.slice(1).flatMap((row) => {
      const match = ROW.exec(row);
      if (!match) return [];
      const [, indent, name, duration, type, outcome] = match;
      return [
        { name: name!, depth: indent!.length / 2, duration: duration!, type: type!, outcome: outcome! },
      ];
    });
    const errorLines = block.filter((row) => row.includes('✖')).map((row) => row.trim());
    traces.push({ traceId: id, text: `${block.join('\n')}\n`, rows, errorLines });
  }
  return traces;
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function shopPid(stdout: string): number {
  return Number(/demo shop: \S+ \(pid (\d+)\)/.exec(stdout)?.[1]);
}
