// Runs a library's tape suite in a child process under the harness (harness/tape-suite.mjs) and reads what it
// printed (TAP) and what the client recorded (the harness's span summary).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from '../helpers/processes.js';
import { REPO_ROOT } from '../weave/workspace.js';

/** The harness's summary of the spans the client recorded (see harness/tape-suite.mjs). */
export interface SpanSummary {
  transactionSampled: boolean;
  transactions: Array<Record<string, unknown>>;
  errors: number;
  spanCount: number;
  nestedCount: number;
  failureCount: number;
  countByName: Record<string, number>;
  sampleByName: Record<string, Record<string, unknown>>;
}

export interface TapCounts {
  tests: number;
  pass: number;
  fail: number;
}

export interface SuiteRun {
  exitCode: number | null;
  /** The whole TAP output, the copy's folder written as `<package>` so that copies compare. */
  stdout: string;
  stderr: string;
  /**
   * The per-test results in order: test headers (`# name`), assertion lines (`ok 12 msg`, `not ok 13 msg`, with any
   * `# SKIP`/`# TODO` directive) and the summary lines. Failure diagnostics (YAML blocks with stacks) are left out:
   * their paths differ between the two copies.
   */
  results: string[];
  counts: TapCounts;
  spans: SpanSummary;
}

const RESULT_LINE = /^(?:ok \d+|not ok \d+|# )/;

function countOf(lines: string[], label: string): number {
  const line = lines.find((l) => l.startsWith(`# ${label} `));
  return line === undefined ? 0 : Number(line.slice(label.length + 2).trim());
}

export function parseTap(stdout: string): { results: string[]; counts: TapCounts } {
  const results = stdout.split('\n').filter((line) => RESULT_LINE.test(line));
  return {
    results,
    counts: {
      tests: countOf(results, 'tests'),
      pass: countOf(results, 'pass'),
      fail: countOf(results, 'fail'),
    },
  };
}

/** Runs the suite of the package copy in `packageDir` with plain node; test files relative to the package. */
export async function runTapeSuite(
  harness: string,
  packageDir: string,
  testFiles: string[],
  label: string,
): Promise<SuiteRun> {
  const report = join(packageDir, '..', `${label}-spans.json`);
  const run = await runProcess(process.execPath, [harness], {
    cwd: packageDir,
    env: {
      PATH: process.env.PATH,
      // tape and the suite's helper packages are this repository's devDependencies.
      NODE_PATH: join(REPO_ROOT, 'node_modules'),
      SUITE_TESTS: JSON.stringify(testFiles.map((file) => join(packageDir, file))),
      SUITE_REPORT: report,
    },
    timeoutMs: 60_000,
  });
  let spans: SpanSummary;
  try {
    spans = JSON.parse(readFileSync(report, 'utf8'));
  } catch (error) {
    throw new Error(`${label}: no span summary (exit ${run.code}): ${String(error)}\n${run.stderr}`);
  }
  const stdout = run.stdout.split(packageDir).join('<package>');
  return { exitCode: run.code, stdout, stderr: run.stderr, ...parseTap(stdout), spans };
}
