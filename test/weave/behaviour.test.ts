// Every fixture, through every front end: the woven program must print exactly what the original prints (return
// values, thrown values, this, arguments, ...), throw the same errors, and record the expected spans.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CompiledFixture, compileFixture } from './compile.js';
import { type ExpectedSpan, type Fixture, loadFixtures } from './fixtures.js';
import { FRONT_ENDS } from './front-ends.js';
import { inPool, type ProgramRun, type RecordedSpan, runProgram } from './run.js';
import { createWorkspace, type Workspace } from './workspace.js';

const fixtures = loadFixtures();
let workspace: Workspace;

beforeAll(() => {
  workspace = createWorkspace();
}, 120_000);
afterAll(() => workspace?.remove());

interface FixtureOutcome {
  compiled?: CompiledFixture;
  compileError?: unknown;
  original?: ProgramRun;
  woven?: ProgramRun;
}

describe.each(FRONT_ENDS)('front end $name', (frontEnd) => {
  const outcomes = new Map<string, FixtureOutcome>();

  beforeAll(async () => {
    const tasks = fixtures.map((fixture) => async () => {
      const outcome: FixtureOutcome = {};
      outcomes.set(fixture.name, outcome);
      try {
        outcome.compiled = compileFixture(fixture, frontEnd, workspace.root);
      } catch (error) {
        outcome.compileError = error;
        return;
      }
      const { originalEntry, wovenEntry } = outcome.compiled;
      [outcome.original, outcome.woven] = await Promise.all([
        runProgram(workspace.harness, originalEntry, workspace.root),
        runProgram(workspace.harness, wovenEntry, workspace.root),
      ]);
    });
    await inPool(tasks, 2);
  }, 240_000);

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('%s', (_name, fixture) => {
    const outcome = outcomes.get(fixture.name);
    expect(outcome?.compileError).toBeUndefined();
    const { original, woven, compiled } = outcome as Required<FixtureOutcome>;

    expect(
      original.stdout,
      `the original program prints what it observes; stderr: ${original.stderr}`,
    ).not.toBe('');
    expect(original.spans, 'the original program records nothing').toEqual([]);
    expect(woven.stdout, `woven stderr: ${woven.stderr}`).toBe(original.stdout);
    expect(woven.stderr).toBe(original.stderr);
    expect(woven.exitCode).toBe(original.exitCode);

    expect(sortSpans(spanTriples(woven))).toEqual(sortSpans(fixture.spec.spans));
    checkTypesAndLabels(fixture, woven.spans);
    expectWarnings(compiled.warnings, fixture.spec.warnings ?? []);
  });
});

function spanTriples(run: ProgramRun): ExpectedSpan[] {
  const names = new Map(run.spans.map((span) => [span.id, span.name]));
  return run.spans.map((span) => [
    span.parent_id === run.transactionId ? '-' : (names.get(span.parent_id) ?? `?${span.parent_id}`),
    span.name,
    span.outcome as ExpectedSpan[2],
  ]);
}

function sortSpans(spans: readonly ExpectedSpan[]): string[] {
  return spans.map((span) => JSON.stringify(span)).sort();
}

function checkTypesAndLabels(fixture: Fixture, spans: readonly RecordedSpan[]): void {
  for (const [name, type] of Object.entries(fixture.spec.types ?? {})) {
    const span = spans.find((s) => s.name === name);
    expect(
      [span?.type, span?.subtype, span?.action]
        .filter((part) => part !== undefined && part !== null)
        .join('.'),
    ).toBe(type);
  }
  for (const [name, labels] of Object.entries(fixture.spec.labels ?? {})) {
    expect(spans.find((s) => s.name === name)?.context?.tags).toEqual(labels);
  }
}

function expectWarnings(actual: readonly string[], expected: readonly string[]): void {
  expect(actual.length, `warnings: ${actual.join(' | ')}`).toBe(expected.length);
  for (const want of expected)
    expect(
      actual.some((warning) => warning.includes(want)),
      `warning "${want}" in ${actual.join(' | ')}`,
    ).toBe(true);
}
