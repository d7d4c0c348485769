// The in-process instrument() suites run under whichever Node runs vitest (npm scripts put the
// Node 24 devDependency first on PATH). This file runs them again under every other Node binary
// found (the machine's or CI's own Node, 20 here), in a vitest child process, so both the
// async_hooks-based and the AsyncContextFrame-based AsyncLocalStorage are covered by `npm test`.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { type ProcessResult, runProcess } from '../helpers/processes.js';
import { repoRoot } from '../helpers/spec.js';

const SUITES = [
  'test/instrument/http-server.test.ts',
  'test/instrument/http-client.test.ts',
  'test/instrument/https.test.ts',
  'test/instrument/wildcard.test.ts',
  'test/instrument/sanitize.test.ts',
  'test/instrument/inference.test.ts',
];

function runVitest(node: string): Promise<ProcessResult> {
  return runProcess(node, [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', ...SUITES], {
    cwd: repoRoot,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    timeoutMs: 170_000,
  });
}

const others = nodeBinaries().filter((b) => b.version !== process.versions.node);

describe('instrument() in-process suites under other Node versions', () => {
  it('finds at least one other Node binary to run them under', () => {
    expect(others.length).toBeGreaterThan(0);
  });

  for (const { path, version } of others) {
    it(`pass under Node ${version}`, { timeout: 180_000 }, async () => {
      const { code, output } = await runVitest(path);
      expect(code, output).toBe(0);
      expect(output).toMatch(new RegExp(`Test Files\\s+${SUITES.length} passed \\(${SUITES.length}\\)`));
    });
  }
});
