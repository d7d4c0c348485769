// Runs fixture programs as child processes (plain node, the harness preamble) with bounded concurrency.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from '../helpers/processes.js';

export interface RecordedSpan {
  id: string;
  parent_id: string;
  name: string;
  type: string;
  subtype?: string;
  action?: string;
  outcome: string;
  context?: { tags?: Record<string, unknown> };
}

export interface ProgramRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  transactionId: string | undefined;
  spans: RecordedSpan[];
}

export async function runProgram(harness: string, entry: string, cwd: string): Promise<ProgramRun> {
  const spansFile = join(cwd, `.spans-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const { stdout, stderr, code } = await runProcess(process.execPath, [harness], {
    cwd,
    env: { PATH: process.env.PATH, WEAVE_ENTRY: entry, WEAVE_SPANS: spansFile },
    timeoutMs: 20_000,
  });
  let recorded: { transactionId?: string; spans?: RecordedSpan[] } = {};
  try {
    recorded = JSON.parse(readFileSync(spansFile, 'utf8'));
    rmSync(spansFile, { force: true });
  } catch {
    // No spans file: the program exited without draining (process.exit); the output still counts.
  }
  return {
    stdout,
    stderr,
    exitCode: code,
    transactionId: recorded.transactionId,
    spans: recorded.spans ?? [],
  };
}

/** Runs the tasks, at most `limit` at a time, results in order. */
export async function inPool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
