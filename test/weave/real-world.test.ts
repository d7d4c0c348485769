// qs (a real npm library, 6.17.1, with its own tape suite shipped in the package): every function of lib/ woven,
// by each front end that weaves JavaScript; the suite must pass exactly as it does unwoven, while the woven
// functions record spans.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LIBRARY_WEAVERS,
  linkDependencies,
  runSuite,
  type SuiteRun,
  weaveLibraryCopy,
} from './real-world.js';
import { createWorkspace, REPO_ROOT, type Workspace } from './workspace.js';

const LIBRARY = 'qs';
const available = existsSync(join(REPO_ROOT, 'node_modules', LIBRARY, 'test'));
const summary = (out: string) => out.split('\n').filter((line) => /^# (tests|pass|fail)/.test(line));

describe.skipIf(!available)(`real-world library: ${LIBRARY}`, () => {
  let workspace: Workspace;
  let run: (dir: string) => SuiteRun;
  let original: SuiteRun;

  beforeAll(() => {
    workspace = createWorkspace();
    linkDependencies(workspace, LIBRARY);
    const preamble = join(workspace.root, 'suite-preamble.mjs');
    copyFileSync(fileURLToPath(new URL('./harness/suite-preamble.mjs', import.meta.url)), preamble);
    const tape = join(workspace.root, 'node_modules', 'tape', 'bin', 'tape');
    run = (dir) =>
      runSuite(
        join(workspace.root, dir),
        [tape, 'test/**/*.js'],
        preamble,
        join(workspace.root, `${dir}.json`),
      );
    weaveLibraryCopy(LIBRARY, join(workspace.root, 'original'), ['lib']);
    original = run('original');
  }, 240_000);
  afterAll(() => workspace?.remove());

  it('passes its own suite unwoven, recording nothing', () => {
    expect(original.status).toBe(0);
    expect(summary(original.stdout).length).toBeGreaterThanOrEqual(2);
    expect(original.spans?.started).toBe(0);
  });

  it.each(Object.keys(LIBRARY_WEAVERS))(
    'woven by %s: same suite output, spans recorded',
    (name) => {
      const woven = weaveLibraryCopy(LIBRARY, join(workspace.root, name), ['lib'], LIBRARY_WEAVERS[name]);
      expect(woven.warnings).toEqual([]);
      expect(woven.woven).toBeGreaterThan(20);
      const result = run(name);
      expect(result.status).toBe(original.status);
      expect(summary(result.stdout)).toEqual(summary(original.stdout));
      expect(result.stdout).toBe(original.stdout);
      expect(result.spans?.started).toBeGreaterThan(1000);
      expect(result.spans?.recorded).toBe(result.spans?.started);
    },
    240_000,
  );
});
