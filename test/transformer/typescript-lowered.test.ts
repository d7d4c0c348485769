// Every behavioural fixture through the TypeScript front end with class fields TypeScript lowers itself (target
// ES2020, useDefineForClassFields false): derived constructors then take the "statements through super() stay
// outside the wrapper" path. The woven program must print, throw and exit exactly like the original and record the
// fixture's spans; only a span's parent may differ, where a parent constructor now runs before its child's span.
import * as ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWeaveTransformer } from '../../transformer/typescript.js';
import { type CompiledFixture, compileFixture } from '../weave/compile.js';
import { loadFixtures } from '../weave/fixtures.js';
import type { FrontEndUnderTest } from '../weave/front-ends.js';
import { inPool, type ProgramRun, runProgram } from '../weave/run.js';
import { createWorkspace, type Workspace } from '../weave/workspace.js';

const loweredFields: FrontEndUnderTest = {
  name: 'typescript-lowered-fields',
  compile(source, id, weave) {
    const compilerOptions: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.Preserve,
      experimentalDecorators: true,
      useDefineForClassFields: false,
      jsx: ts.JsxEmit.React,
      allowJs: true,
    };
    const transformers = weave ? { before: [createWeaveTransformer(ts, weave)] } : {};
    return ts.transpileModule(source, { fileName: id, compilerOptions, transformers }).outputText;
  },
};

const fixtures = loadFixtures();
const runs = new Map<string, { compiled: CompiledFixture; original: ProgramRun; woven: ProgramRun }>();
let workspace: Workspace;

beforeAll(async () => {
  workspace = createWorkspace();
  const tasks = fixtures.map((fixture) => async () => {
    const compiled = compileFixture(fixture, loweredFields, workspace.root);
    const [original, woven] = await Promise.all([
      runProgram(workspace.harness, compiled.originalEntry, workspace.root),
      runProgram(workspace.harness, compiled.wovenEntry, workspace.root),
    ]);
    runs.set(fixture.name, { compiled, original, woven });
  });
  await inPool(tasks, 2);
}, 240_000);
afterAll(() => workspace?.remove());

describe('TypeScript front end, class fields lowered by TypeScript', () => {
  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('%s', (name, fixture) => {
    const run = runs.get(name);
    expect(run).toBeDefined();
    const { original, woven, compiled } = run as NonNullable<typeof run>;
    expect(woven.stdout).toBe(original.stdout);
    expect(woven.stderr).toBe(original.stderr);
    expect(woven.exitCode).toBe(original.exitCode);
    const nameAndOutcome = (spans: Array<{ name: string; outcome: string }>) =>
      spans.map((s) => `${s.name}:${s.outcome}`).sort();
    expect(nameAndOutcome(woven.spans)).toEqual(
      nameAndOutcome(fixture.spec.spans.map(([, spanName, outcome]) => ({ name: spanName, outcome }))),
    );
    expect(compiled.warnings).toHaveLength(fixture.spec.warnings?.length ?? 0);
  });
});
