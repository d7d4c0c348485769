// The factory in-process, through the real bundlers' APIs: what each entry hands its bundler, the build report,
// warnings that do not fail a build, configuration errors that do, and esbuild's loader after weaving.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import webpack from 'webpack';
import esbuildPlugin from '../../plugins/esbuild.js';
import rolldownPlugin from '../../plugins/rolldown.js';
import rollupPlugin from '../../plugins/rollup.js';
import { RuntimeLocation } from '../../plugins/runtime-location.js';
import vitePlugin from '../../plugins/vite.js';
import webpackPlugin from '../../plugins/webpack.js';
import { WeaveOptionsError, type WeaveWarning } from '../../transformer/index.js';
import { repoRoot } from '../helpers/spec.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('what each entry hands its bundler', () => {
  it.each([
    ['vite', vitePlugin],
    ['rollup', rollupPlugin],
    ['rolldown', rolldownPlugin],
  ] as const)('%s: a pre plugin whose transform hook carries the { id, code } filter', (_name, entry) => {
    const plugin = entry() as unknown as { name: string; enforce?: string; transform: { filter: unknown } };
    expect(plugin.name).toBe('apm-weaver');
    expect(plugin.transform.filter).toMatchObject({
      code: /@apm-span/,
      id: { include: [/\.[cm]?[jt]sx?$/] },
    });
  });

  it('vite: runs before the TypeScript transform', () => {
    expect((vitePlugin() as { enforce?: string }).enforce).toBe('pre');
  });

  it('never weaves the runtime itself: its folder, resolved from the app, is excluded', () => {
    // The package entry is dist/apm-weaver.js (the bundled runtime), so its folder is all of dist/.
    expect(new RuntimeLocation('apm-weaver', repoRoot).excludeGlob()).toBe(`${repoRoot}/dist/**`);
    expect(new RuntimeLocation('no-such-runtime-package', repoRoot).excludeGlob()).toBeUndefined();
  });

  it('imports the runtime by name where it resolves, and the app copy by path where it does not', () => {
    const location = new RuntimeLocation('apm-weaver', repoRoot);
    expect(location.specifierFor(join(repoRoot, 'fixtures/bundle-app/src/main.ts'))).toBe('apm-weaver');
    const outside = join(mkdtempSync(join(tmpdir(), 'apm-weaver-outside-')), 'lib.ts');
    expect(location.specifierFor(outside)).toBe(`${repoRoot}/dist/apm-weaver.js`);
  });
});

describe('an esbuild build through the plugin', () => {
  function project(): string {
    const dir = mkdtempSync(join(tmpdir(), 'apm-weaver-factory-'));
    mkdirSync(join(dir, 'src'));
    // The app resolves `apm-weaver` itself, so woven files import it by name (kept external here).
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(repoRoot, join(dir, 'node_modules/apm-weaver'), 'dir');
    writeFileSync(
      join(dir, 'src/main.js'),
      "import { view } from './view.js';\nimport './nothing.js';\nview();\n",
    );
    // JSX in a .js file: esbuild must keep the user's `.js: 'jsx'` loader after the plugin returns the woven code.
    writeFileSync(
      join(dir, 'src/view.js'),
      '// @apm-span\nexport function view() {\n  return <p>hi</p>;\n}\n',
    );
    writeFileSync(join(dir, 'src/nothing.js'), '// @apm-span\nconst answer = 42;\nexport { answer };\n');
    return dir;
  }

  async function build(dir: string, options: Parameters<typeof esbuildPlugin>[0]) {
    return esbuild.build({
      entryPoints: [join(dir, 'src/main.js')],
      bundle: true,
      write: false,
      format: 'esm',
      external: ['apm-weaver', 'preact/jsx-runtime'],
      jsx: 'automatic',
      jsxImportSource: 'preact',
      loader: { '.js': 'jsx' },
      logLevel: 'silent',
      plugins: [esbuildPlugin(options)],
    });
  }

  it('weaves, keeps the loader, reports once with each warning, and does not fail on a warning', async () => {
    const report = vi.spyOn(console, 'info').mockImplementation(() => {});
    const warnings: WeaveWarning[] = [];
    const dir = project();
    const built = await build(dir, { onWarning: (w) => warnings.push(w), verbose: true });
    const code = built.outputFiles[0]?.text ?? '';
    expect(code).toContain('from "apm-weaver"');
    expect(code).toContain('jsx("p"');
    expect(report).toHaveBeenCalledTimes(1);
    const lines = String(report.mock.calls[0]?.[0]).split('\n');
    expect(lines[0]).toBe('[apm-weaver] 1 function woven in 1 file, 1 warning');
    expect(lines.some((line) => /src\/view\.js: view$/.test(line))).toBe(true);
    expect(lines.some((line) => /warning .*src\/nothing\.js:1:1 \S/.test(line))).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file: join(dir, 'src/nothing.js'), line: 1 });
  });

  it('prints nothing with silent, and still hands warnings to onWarning', async () => {
    const report = vi.spyOn(console, 'info').mockImplementation(() => {});
    const warnings: WeaveWarning[] = [];
    await build(project(), { silent: true, onWarning: (w) => warnings.push(w) });
    expect(report).not.toHaveBeenCalled();
    expect(warnings).toHaveLength(1);
  });
});

describe('configuration errors fail the build', () => {
  it('esbuild: when the plugin is created', () => {
    expect(() => esbuildPlugin({ functions: ['src/**#'] })).toThrow(WeaveOptionsError);
    expect(() => esbuildPlugin({ external: ['x'] } as never)).toThrow(/unknown option "external"/);
  });

  it('webpack: when the compiler applies the plugin', () => {
    expect(() =>
      webpack({ entry: '/nowhere.js', plugins: [webpackPlugin({ include: 'src/**' } as never)] }),
    ).toThrow(/"include" must be an array/);
  });
});
