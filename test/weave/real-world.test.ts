// qs (a real npm library, 6.17.1, with its own tape suite shipped in the package): every function of lib/ woven,
// the suite must pass exactly as it does unwoven, while the woven functions record spans.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkDependencies, runSuite, type SuiteRun, weaveLibraryCopy } from './real-world.js';
import { createWorkspace, REPO_ROOT, type Workspace } from './workspace.js';

const LIBRARY = 'qs';
const available = existsSync(join(REPO_ROOT, 'node_modules', LIBRARY, 'test'));

describe.skipIf(!available)(`real-world library: ${LIBRARY}`, () => {
  let workspace: Workspace;
  let woven: ReturnType<typeof weaveLibraryCopy>;
  let original: SuiteRun;
  let wovenRun: SuiteRun;

  beforeAll(() => {
    workspace = createWorkspace();
    linkDependencies(workspace, LIBRARY);
    const preamble = join(workspace.root, 'suite-preamble.mjs');
    copyFileSync(fileURLToPath(new URL('./harness/suite-preamble.mjs', import.meta.url)), preamble);
    const tape = join(workspace.root, 'node_modules', 'tape', 'bin', 'tape');
    weaveLibraryCopy(LIBRARY, join(workspace.root, 'original'), []);
    woven = weaveLibraryCopy(LIBRARY, join(workspace.root, 'woven'), ['lib']);
    original = runSuite(
      join(workspace.root, 'original'),
      [tape, 'test/**/*.js'],
      preamble,
      join(workspace.root, 'o.json'),
    );
    wovenRun = runSuite(
      join(workspace.root, 'woven'),
      [tape, 'test/**/*.js'],
      preamble,
      join(workspace.root, 'w.json'),
    );
  }, 240_000);
  afterAll(() => workspace?.remove());

  it('weaves every named function of lib/ without a warning', () => {
    expect(woven.warnings).toEqual([]);
    expect(woven.woven.length).toBeGreaterThan(20);
    expect(woven.woven).toContain('lib/parse.js#parseValues');
    expect(woven.woven).toContain('lib/stringify.js#stringify');
  });

  it('passes its own test suite exactly as the original does', () => {
    const summary = (out: string) => out.split('\n').filter((line) => /^# (tests|pass|fail)/.test(line));
    expect(original.status).toBe(0);
    expect(summary(original.stdout).length).toBeGreaterThanOrEqual(2);
    expect(wovenRun.status).toBe(original.status);
    expect(summary(wovenRun.stdout)).toEqual(summary(original.stdout));
    expect(wovenRun.stdout).toBe(original.stdout);
  });

  it('records spans while the suite runs (and none unwoven)', () => {
    expect(original.spans?.started).toBe(0);
    expect(wovenRun.spans?.started).toBeGreaterThan(1000);
    expect(wovenRun.spans?.recorded).toBe(wovenRun.spans?.started);
  });
});
