// A file the plugin cannot weave builds as it is, and its warning reaches each bundler's own warning channel
// (Rollup's onwarn, Rolldown's onLog, webpack's and Rspack's compilation warnings, esbuild's result), with the file
// and line, so build tools and CI checks see it, besides the plugin's own build report.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rspack } from '@rspack/core';
import * as esbuild from 'esbuild';
import { rolldown } from 'rolldown';
import { rollup } from 'rollup';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import webpack from 'webpack';
import esbuildPlugin from '../../plugins/esbuild.js';
import rolldownPlugin from '../../plugins/rolldown.js';
import rollupPlugin from '../../plugins/rollup.js';
import rspackPlugin from '../../plugins/rspack.js';
import webpackPlugin from '../../plugins/webpack.js';

const STRAY_MARKER = 'does not stand right before a function';

let dir: string;
let entry: string;
let stray: string;

beforeEach(() => {
  vi.spyOn(console, 'info').mockImplementation(() => {});
  dir = mkdtempSync(join(tmpdir(), 'apm-weaver-warnings-'));
  entry = join(dir, 'main.js');
  stray = join(dir, 'stray.js');
  writeFileSync(entry, "import { answer } from './stray.js';\nconsole.log(answer);\n");
  // The marker stands before a variable, not a function: nothing to weave, one warning on line 2.
  writeFileSync(stray, 'export const before = 1;\n// @apm-span\nexport const answer = 42;\n');
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Webpack and Rspack hand their warnings over as errors (WebpackError) with the message and the module. */
function compile(compiler: {
  run(cb: (error: Error | null, stats?: { compilation: { warnings: Error[] } }) => void): void;
  close(cb: () => void): void;
}): Promise<string[]> {
  return new Promise((resolve, reject) => {
    compiler.run((error, stats) => {
      compiler.close(() => {});
      if (error || !stats) reject(error ?? new Error('no stats'));
      else resolve(stats.compilation.warnings.map((warning) => warning.message));
    });
  });
}

function webpackLikeConfig() {
  return {
    mode: 'none' as const,
    context: dir,
    entry,
    target: 'node' as const,
    output: { path: join(dir, 'out'), filename: 'main.cjs' },
  };
}

describe('a warning reaches the bundler', () => {
  it('rollup: onwarn gets it, from the plugin, with the file and its line', async () => {
    const warnings: Array<{ plugin?: string; message: string; loc?: { file?: string; line: number } }> = [];
    const bundle = await rollup({ input: entry, plugins: [rollupPlugin()], onwarn: (w) => warnings.push(w) });
    await bundle.close();
    const ours = warnings.filter((w) => w.plugin === 'apm-weaver');
    expect(ours).toHaveLength(1);
    expect(ours[0]?.message).toContain(`${stray}:2:1: @apm-span ${STRAY_MARKER}`);
    expect(ours[0]?.loc).toMatchObject({ file: stray, line: 2 });
  });

  it('rolldown: onLog gets it as a warning', async () => {
    const logs: Array<{ level: string; message: string }> = [];
    const bundle = await rolldown({
      input: entry,
      plugins: [rolldownPlugin()],
      onLog: (level, log) => logs.push({ level, message: log.message }),
    });
    await bundle.generate({ format: 'esm' }); // Rolldown builds when asked for output
    await bundle.close();
    const ours = logs.filter((log) => log.message.includes(STRAY_MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.level).toBe('warn');
    expect(ours[0]?.message).toContain(`${stray}:2:1`);
  });

  it("webpack: the compilation's warnings hold it, and the build succeeds", async () => {
    const warnings = await compile(webpack({ ...webpackLikeConfig(), plugins: [webpackPlugin()] }));
    const ours = warnings.filter((message) => message.includes(STRAY_MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toContain(`${stray}:2:1`);
  });

  it("rspack: the compilation's warnings hold it, and the build succeeds", async () => {
    const warnings = await compile(rspack({ ...webpackLikeConfig(), plugins: [rspackPlugin()] }) as never);
    const ours = warnings.filter((message) => message.includes(STRAY_MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toContain(`${stray}:2:1`);
  });

  it("esbuild: the build result's warnings hold it, placed at the file and line", async () => {
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      logLevel: 'silent',
      plugins: [esbuildPlugin()],
    });
    const ours = result.warnings.filter((w) => w.text.includes(STRAY_MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.pluginName).toBe('apm-weaver');
    expect(ours[0]?.location).toMatchObject({ line: 2, column: 0 });
    expect(ours[0]?.location?.file).toMatch(/stray\.js$/);
    // The file was loaded as it is: its code is in the bundle.
    expect(result.outputFiles[0]?.text).toContain('42');
  });
});
