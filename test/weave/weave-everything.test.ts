// Every fixture again, with every named function woven (`functions: ["**"]` on top of the markers): the program
// must still print exactly what the original prints. Spans are not compared here (there are many more); what this
// adds is every function the fixtures did not mark: callbacks' hosts, helpers, base classes, decorators.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CompiledFixture, compileFixture } from './compile.js';
import { type Fixture, loadFixtures } from './fixtures.js';
import { FRONT_ENDS } from './front-ends.js';
import { inPool, type ProgramRun, runProgram } from './run.js';
import { createWorkspace, type Workspace } from './workspace.js';

const everything = (fixture: Fixture): Fixture => ({
  ...fixture,
  spec: {
    ...fixture.spec,
    options: { ...fixture.spec.options, functions: [...(fixture.spec.options?.functions ?? []), '**'] },
  },
});
const fixtures = loadFixtures().map(everything);
const frontEnd = FRONT_ENDS.find((f) => f.name === 'magic-string');
let workspace: Workspace;

beforeAll(() => {
  workspace = createWorkspace();
}, 120_000);
afterAll(() => workspace?.remove());

describe.skipIf(!frontEnd)('every named function woven (magic-string)', () => {
  const outcomes = new Map<string, { compiled: CompiledFixture; original: ProgramRun; woven: ProgramRun }>();

  beforeAll(async () => {
    if (!frontEnd) return;
    await inPool(
      fixtures.map((fixture) => async () => {
        const compiled = compileFixture(fixture, frontEnd, workspace.root);
        const [original, woven] = await Promise.all([
          runProgram(workspace.harness, compiled.originalEntry, workspace.root),
          runProgram(workspace.harness, compiled.wovenEntry, workspace.root),
        ]);
        outcomes.set(fixture.name, { compiled, original, woven });
      }),
      2,
    );
  }, 240_000);

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('%s', (name) => {
    const outcome = outcomes.get(name);
    expect(outcome).toBeDefined();
    const { original, woven } = outcome as NonNullable<typeof outcome>;
    expect(original.stdout).not.toBe('');
    expect(woven.stdout, `woven stderr: ${woven.stderr}`).toBe(original.stdout);
    expect(woven.stderr).toBe(original.stderr);
    expect(woven.exitCode).toBe(original.exitCode);
  });
});
