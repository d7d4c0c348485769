// The bench harness runs end to end with tiny iteration counts: every agent process, the sink, startup, size and
// build measurements report, and the table lists every target. The numbers of a quick run mean nothing: no
// assertion looks at them beyond being numbers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'apm-weaver-bench-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Row {
  measure: string;
  ratio: number | null;
  target?: number;
  met?: boolean;
}

describe('npm run bench --quick', () => {
  it('prints one table with a row per target and writes the results file', () => {
    const out = join(scratch, 'results.json');
    const run = spawnSync(process.execPath, ['bench/main.mjs', '--quick', `--out=${out}`], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.stderr).not.toMatch(/Error:/);
    expect(run.status).toBe(0);
    for (const heading of ['measure', 'apm-weaver', 'compared with', 'ratio', 'target']) {
      expect(run.stdout).toContain(heading);
    }
    const results = JSON.parse(readFileSync(out, 'utf8')) as {
      rows: Row[];
      agents: { agent: string; cases: { name: string; mainNs: number; cpuNs: number }[] }[];
      sink: { lines: number };
    };
    const measures = results.rows.map((r) => r.measure);
    for (const expected of [
      'span in a transaction, main thread vs OTel',
      'span in a transaction, main thread vs elastic',
      'span in a transaction, CPU all threads vs elastic',
      'woven call, no transaction: extra vs ALS.run extra',
      'heap per live span vs best peer',
      'span, in-thread transport, main thread vs OTel',
      'runtime for bundlers (one file, sender inline), minified + gzip -9',
      'runtime as an app bundled by esbuild keeps it (Client + woven functions, no instrument()), minified + gzip -9',
      'runtime entry (loaded by import in node), esbuild minified + gzip -9',
      'runtime all files in node (entry + sender loaded with the first event), minified + gzip -9',
      'startup over empty node, CPU vs elastic',
    ]) {
      expect(measures).toContain(expected);
      expect(run.stdout).toContain(expected);
    }
    expect(measures.some((m) => m.startsWith('esbuild,') && m.includes('0 marked'))).toBe(true);
    expect(results.agents.map((a) => a.agent)).toEqual([
      'apm-weaver',
      'apm-weaver (events discarded)',
      'apm-weaver (in-thread transport)',
      'elastic-apm-node',
      '@opentelemetry/sdk-trace-node',
    ]);
    for (const agent of results.agents) {
      for (const c of agent.cases) {
        expect(Number.isFinite(c.mainNs) && Number.isFinite(c.cpuNs), `${agent.agent}: ${c.name}`).toBe(true);
      }
    }
    // Both reporting agents really reached the sink (events counted there, in another process).
    expect(results.sink.lines).toBeGreaterThan(0);
  }, 300_000);
});
