// apm-weaver/esbuild through real esbuild builds and contexts: which files esbuild asks the plugin about (only those
// with something to weave, and everything outside the entry folders), what gets woven, and what a context built
// again can and cannot reach.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import * as esbuild from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import esbuildPlugin from '../../plugins/esbuild.js';
import type { PluginOptions } from '../../plugins/options.js';
import { repoRoot } from '../helpers/spec.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const MARKED = (name: string) => `// @apm-span\nexport function ${name}() {\n  return '${name}';\n}\n`;
const PLAIN = (name: string) => `export function ${name}() {\n  return '${name}';\n}\n`;

/** An app: src/ holds the entry; lib/ is outside it; node_modules/dep has a marker that must not count. */
function project(): { root: string; src: string; file: (relative: string, code: string) => string } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'apm-weaver-esbuild-')));
  const file = (relative: string, code: string) => {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, code);
    return path;
  };
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(repoRoot, join(root, 'node_modules/apm-weaver'), 'dir');
  file('node_modules/dep/package.json', '{ "name": "dep", "main": "index.js" }');
  file('node_modules/dep/index.js', MARKED('dep'));
  file(
    'src/main.ts',
    [
      "import { dep } from 'dep';",
      "import { outside } from '../lib/outside.ts';",
      "import { marked } from './marked.ts';",
      "import { plain } from './plain.ts';",
      "import { price } from './rule/price.ts';",
      'console.log(dep(), outside(), marked(), plain(), price());',
      '',
    ].join('\n'),
  );
  file('src/marked.ts', MARKED('marked'));
  file('src/plain.ts', PLAIN('plain'));
  file('src/rule/price.ts', PLAIN('price'));
  file('lib/outside.ts', MARKED('outside'));
  return { root, src: join(root, 'src'), file };
}

/** The plugin, with every path its onLoad callback is called for recorded (the filter is esbuild's, in Go). */
function observed(options: PluginOptions) {
  const plugin = esbuildPlugin(options);
  const reached: string[] = [];
  const filters: RegExp[] = [];
  const setup = plugin.setup;
  plugin.setup = (build) =>
    setup({
      ...build,
      onLoad(onLoadOptions, callback) {
        filters.push(onLoadOptions.filter);
        build.onLoad(onLoadOptions, (args) => {
          reached.push(args.path);
          return callback(args);
        });
      },
    });
  return { plugin, reached, filters };
}

function buildOptions(root: string, plugin: esbuild.Plugin): esbuild.BuildOptions {
  return {
    entryPoints: [join(root, 'src/main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    external: ['apm-weaver'],
    logLevel: 'silent',
    plugins: [plugin],
  };
}

/** The build report lines printed by the last build. */
function lastReport(report: { mock: { calls: unknown[][] } }): string[] {
  return String(report.mock.calls.at(-1)?.[0]).split('\n');
}

/** The span names the bundle defines (esbuild numbers each module's `__apmDefine` import: `__apmDefine2`, ...). */
function wovenNames(code: string): string[] {
  return [...code.matchAll(/__apmDefine\d*\("(\w+)"/g)].map((match) => match[1] ?? '').sort();
}

const RULES = { functions: ['**/rule/*.ts#*'], verbose: true } satisfies PluginOptions;

describe('an esbuild build', () => {
  it('asks the plugin only about files with something to weave and files outside the entry folder', async () => {
    const report = vi.spyOn(console, 'info').mockImplementation(() => {});
    const { root, src } = project();
    const { plugin, reached } = observed(RULES);
    const built = await esbuild.build(buildOptions(root, plugin));
    expect(reached.sort()).toEqual([
      join(root, 'lib/outside.ts'),
      join(src, 'marked.ts'),
      join(src, 'rule/price.ts'),
    ]);
    const lines = lastReport(report);
    expect(lines[0]).toBe('[apm-weaver] 3 functions woven in 3 files');
    expect(lines.some((line) => line.endsWith('src/rule/price.ts: price'))).toBe(true);
    const code = built.outputFiles?.[0]?.text ?? '';
    expect(wovenNames(code)).toEqual(['marked', 'outside', 'price']);
  });

  it('chains its map when esbuild writes source maps: the bundle maps back to the unwoven source', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const { root, src } = project();
    const built = await esbuild.build({
      ...buildOptions(root, observed({ silent: true }).plugin),
      sourcemap: 'external',
      outdir: join(root, 'out'),
    });
    const mapFile = built.outputFiles?.find((file) => file.path.endsWith('.map'));
    const map = JSON.parse(mapFile?.text ?? '{}') as { sources: string[]; sourcesContent: string[] };
    const index = map.sources.findIndex((source) => source.endsWith('src/marked.ts'));
    expect(map.sourcesContent[index]).toBe(readFileSync(join(src, 'marked.ts'), 'utf8'));
    const code = built.outputFiles?.find((file) => file.path.endsWith('.js'))?.text ?? '';
    const lines = code.split('\n');
    const line = lines.findIndex((text) => /return ["']marked["']/.test(text));
    const column = lines[line]?.indexOf('return') ?? -1;
    expect(line).toBeGreaterThanOrEqual(0);
    expect(originalPositionFor(new TraceMap(map as never), { line: line + 1, column })).toMatchObject({
      source: map.sources[index],
      line: 3,
      column: 2,
    });
  });

  it('lets every script through when a rule may select a function in any file', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const { root, src } = project();
    const { plugin, reached, filters } = observed({ functions: ['*'], silent: true });
    await esbuild.build(buildOptions(root, plugin));
    expect(filters.map(String)).toEqual([String(/\.[cm]?[jt]sx?$/)]);
    expect(reached).toEqual(expect.arrayContaining([join(src, 'main.ts'), join(src, 'plain.ts')]));
  });

  it('lets every script through when most files in the entry folder have something to weave', async () => {
    const { root, src, file } = project();
    for (let i = 0; i <= 2000; i++) file(`src/many/m${i}.ts`, PLAIN(`m${i}`));
    const { plugin, reached, filters } = observed({ functions: ['**/many/*.ts#*'], silent: true });
    await esbuild.build(buildOptions(root, plugin));
    expect(filters.map(String)).toEqual([String(/\.[cm]?[jt]sx?$/)]);
    expect(reached).toContain(join(src, 'plain.ts'));
  });

  it('registers no onLoad at all when nothing can be woven, and still reports', async () => {
    const report = vi.spyOn(console, 'info').mockImplementation(() => {});
    const { root } = project();
    const { plugin, filters } = observed({ markers: false });
    await esbuild.build(buildOptions(root, plugin));
    expect(filters).toEqual([]);
    expect(lastReport(report)[0]).toBe('[apm-weaver] 0 functions woven in 0 files');
  });

  it('weaves node_modules files that `include` names (the scan does not exclude them then)', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const { root } = project();
    const { plugin } = observed({ include: ['**/*.ts', '**/node_modules/dep/*.js'], silent: true });
    const built = await esbuild.build(buildOptions(root, plugin));
    expect(wovenNames(built.outputFiles?.[0]?.text ?? '')).toContain('dep');
  });
});

describe('an esbuild context built again', () => {
  it('with a metafile, warns only about the unreachable files the build took in', async () => {
    const report = vi.spyOn(console, 'info').mockImplementation(() => {});
    const { root, src, file } = project();
    const context = await esbuild.context({ ...buildOptions(root, observed(RULES).plugin), metafile: true });
    try {
      await context.rebuild();
      file('src/plain.ts', MARKED('plain'));
      file('src/not-bundled.ts', MARKED('notBundled'));
      await context.rebuild();
      const warnings = lastReport(report).filter((line) => line.startsWith('  warning '));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(join(src, 'plain.ts'));
      expect(warnings[0]).toContain('not woven: it has had something to weave only since');
    } finally {
      await context.dispose();
    }
  });

  it('follows markers in the files it reaches, and reports the files it cannot reach until recreated', async () => {
    const report = vi.spyOn(console, 'info').mockImplementation(() => {});
    const { root, src, file } = project();
    const { plugin, reached } = observed(RULES);
    const context = await esbuild.context(buildOptions(root, plugin));
    try {
      const woven = async () => {
        return wovenNames((await context.rebuild()).outputFiles?.[0]?.text ?? '');
      };
      expect(await woven()).toEqual(['marked', 'outside', 'price']);

      // Files the filter reaches follow their markers from build to build.
      file('src/marked.ts', PLAIN('marked'));
      file('lib/outside.ts', PLAIN('outside'));
      expect(await woven()).toEqual(['price']);
      file('src/marked.ts', MARKED('marked'));
      file('lib/outside.ts', MARKED('outside'));
      expect(await woven()).toEqual(['marked', 'outside', 'price']);
      expect(lastReport(report)[0]).toBe('[apm-weaver] 3 functions woven in 3 files');

      // A file in the entry folder that had nothing to weave when the context was created, and a new file there,
      // are out of reach: each build says so.
      file('src/plain.ts', MARKED('plain'));
      file('src/fresh.ts', MARKED('fresh'));
      file('src/marked.ts', `${MARKED('marked')}export { fresh } from './fresh.ts';\n`);
      expect(await woven()).toEqual(['marked', 'outside', 'price']);
      const warnings = lastReport(report)
        .filter((line) => line.startsWith('  warning '))
        .sort();
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toContain(join(src, 'fresh.ts'));
      expect(warnings[1]).toContain(join(src, 'plain.ts'));
      expect(warnings[1]).toContain('not woven if this build includes it');
      expect(warnings[1]).toContain('create the context again');
      expect(reached).not.toContain(join(src, 'plain.ts'));
    } finally {
      await context.dispose();
    }

    const again = await esbuild.context(buildOptions(root, observed(RULES).plugin));
    try {
      const code = (await again.rebuild()).outputFiles?.[0]?.text ?? '';
      expect(wovenNames(code)).toEqual(['fresh', 'marked', 'outside', 'plain', 'price']);
      expect(lastReport(report)[0]).toBe('[apm-weaver] 5 functions woven in 5 files');
    } finally {
      await again.dispose();
    }
  });

  it('with scan: false, weaves a file that gains a marker while the context lives', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const { root, src, file } = project();
    const { plugin, reached } = observed({ ...RULES, scan: false });
    const context = await esbuild.context(buildOptions(root, plugin));
    try {
      const woven = async () => wovenNames((await context.rebuild()).outputFiles?.[0]?.text ?? '');
      expect(await woven()).toEqual(['marked', 'outside', 'price']);
      expect(reached).toContain(join(src, 'plain.ts'));
      file('src/plain.ts', MARKED('plain'));
      expect(await woven()).toEqual(['marked', 'outside', 'plain', 'price']);
    } finally {
      await context.dispose();
    }
  });
});
