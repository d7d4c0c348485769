// The esbuild plugin's scan of the entry folders: which folders, which files may need weaving (the options' own
// test, by path and by contents), what it does not enter, and what changed since.
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryFolders, MAX_SCANNED_FILES, SourceScan } from '../../plugins/esbuild-scan.js';
import { weavingTest } from '../../plugins/esbuild-weaving-test.js';
import type { WeaveOptions } from '../../transformer/index.js';

function tree(files: Record<string, string>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'apm-weaver-scan-')));
  for (const [relative, code] of Object.entries(files)) {
    mkdirSync(dirname(join(root, relative)), { recursive: true });
    writeFileSync(join(root, relative), code);
  }
  return root;
}

function scan(root: string, options: WeaveOptions = {}): SourceScan {
  const test = weavingTest(options);
  if (!test) throw new Error('expected a scan');
  return new SourceScan([join(root, 'src')], test, options.include === undefined);
}

describe('entryFolders', () => {
  it('takes each entry point folder, resolved from the working directory, once and outermost', () => {
    const root = tree({ 'src/a.ts': '', 'src/sub/b.ts': '', 'tools/c.ts': '' });
    expect(entryFolders(['src/a.ts', 'src/sub/b.ts'], root)).toEqual([join(root, 'src')]);
    expect(entryFolders([{ in: 'tools/c.ts', out: 'c' }, join(root, 'src/a.ts')], root)).toEqual([
      join(root, 'src'),
      join(root, 'tools'),
    ]);
    expect(entryFolders({ a: 'src/sub/b.ts' }, root)).toEqual([join(root, 'src/sub')]);
  });

  it('takes the folder before the first wildcard of a glob', () => {
    const root = tree({ 'src/sub/b.ts': '' });
    expect(entryFolders(['src/**/*.ts'], root)).toEqual([join(root, 'src')]);
    expect(entryFolders(['src/sub/entry-*.ts'], root)).toEqual([join(root, 'src/sub')]);
  });

  it('leaves out what is not a folder on disk, and has nothing for a stdin build', () => {
    expect(entryFolders(['no-such-dir/main.ts'], tmpdir())).toEqual([]);
    expect(entryFolders(undefined, tmpdir())).toEqual([]);
  });
});

describe('SourceScan', () => {
  it('makes candidates of marked files and of files a rule may select, nothing else', () => {
    const root = tree({
      'src/marked.ts': '// @apm-span\nexport function a() {}\n',
      'src/plain.ts': 'export function b() {}\n',
      'src/orders/service.ts': 'export class OrderService { load() {} }\n',
      'src/other/service.ts': 'export class OrderService { load() {} }\n',
      'src/orders/unrelated.ts': 'export function c() {}\n',
      'src/pricing/price.ts': 'export function price() {}\n',
      'src/styles.css': '/* @apm-span */\n',
    });
    const { reachable } = scan(root, { functions: ['**/orders/*.ts#OrderService.*', '**/pricing/*.ts#*'] });
    expect([...reachable.files].sort()).toEqual(
      ['src/marked.ts', 'src/orders/service.ts', 'src/pricing/price.ts'].map((file) => join(root, file)),
    );
    expect(reachable.scannedFolders).toEqual([join(root, 'src/')]);
  });

  it('reads a file to its end, whatever its size against the read buffer', () => {
    const marker = '// @apm-span\n';
    const padded = (size: number) => `${' '.repeat(size - marker.length)}${marker}`;
    const root = tree({
      'src/exact.ts': padded(64 * 1024),
      'src/large.ts': padded(200_000),
      'src/small.ts': padded(100),
      'src/large-plain.ts': ' '.repeat(200_000),
    });
    expect([...scan(root).reachable.files].sort()).toEqual(
      ['src/exact.ts', 'src/large.ts', 'src/small.ts'].map((file) => join(root, file)),
    );
  });

  it('leaves out what the options exclude, even when marked', () => {
    const root = tree({ 'src/marked.ts': '// @apm-span\n', 'src/gen/marked.ts': '// @apm-span\n' });
    const { reachable } = scan(root, { exclude: ['**/gen/**'] });
    expect([...reachable.files]).toEqual([join(root, 'src/marked.ts')]);
  });

  it('does not enter node_modules (excluded, unless `include` is given: then reachable), dot folders and links', () => {
    const root = tree({
      'node_modules/dep/index.js': '// @apm-span\n',
      'src/node_modules/local/index.js': '// @apm-span\n',
      'src/.cache/x.ts': '// @apm-span\n',
      'src/real.ts': '',
    });
    symlinkSync(join(root, 'src/real.ts'), join(root, 'src/link.ts'));
    const byDefault = scan(root).reachable;
    expect([...byDefault.files]).toEqual([]);
    expect([...byDefault.skippedPrefixes].sort()).toEqual([
      join(root, 'src/.cache/'),
      join(root, 'src/link.ts'),
    ]);
    expect([...byDefault.neverWovenFolders]).toContain(join(root, 'node_modules/'));
    expect([...byDefault.neverWovenFolders]).toContain(join(root, 'src/node_modules/'));

    const included = scan(root, { include: ['**/*.ts', '**/*.js'] }).reachable;
    expect([...included.skippedPrefixes]).toContain(join(root, 'src/node_modules/'));
    expect([...included.neverWovenFolders]).toEqual([]);
  });

  it('scans nothing, and reads nothing, in a tree with more scripts than it would pay to read', () => {
    const root = tree({});
    mkdirSync(join(root, 'src'));
    for (let i = 0; i <= MAX_SCANNED_FILES; i++) writeFileSync(join(root, `src/f${i}.ts`), '// @apm-span\n');
    const sources = scan(root);
    expect([...sources.reachable.scannedFolders]).toEqual([]);
    expect(sources.candidateCount).toBe(0);
    expect(sources.unreachableCandidates()).toEqual([]);
  });

  it('finds the files that need weaving since, reading those whose mtime says they may have changed', () => {
    const root = tree({
      'src/marked.ts': '// @apm-span\n',
      'src/plain.ts': 'export {};\n',
      'src/old.ts': 'export {};\n',
    });
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'src/old.ts'), old, old);
    const sources = scan(root);
    expect(sources.unreachableCandidates()).toEqual([]);

    writeFileSync(join(root, 'src/plain.ts'), '// @apm-span\nexport function p() {}\n');
    writeFileSync(join(root, 'src/new.ts'), '// @apm-span\nexport function n() {}\n');
    writeFileSync(join(root, 'src/marked.ts'), 'export {};\n');
    expect(sources.unreachableCandidates().sort()).toEqual([
      join(root, 'src/new.ts'),
      join(root, 'src/plain.ts'),
    ]);

    // A file whose mtime is older than the scan is taken to be as the scan read it, whatever it holds now.
    writeFileSync(join(root, 'src/old.ts'), '// @apm-span\nexport function o() {}\n');
    utimesSync(join(root, 'src/old.ts'), old, old);
    expect(sources.unreachableCandidates()).not.toContain(join(root, 'src/old.ts'));
    writeFileSync(join(root, 'src/plain.ts'), 'export {};\n');
    expect(sources.unreachableCandidates()).toEqual([join(root, 'src/new.ts')]);
  });
});

describe('weavingTest', () => {
  it('has no test when a rule for every file requires no text: every included file may need weaving', () => {
    expect(weavingTest({ functions: ['*'] })).toBeUndefined();
    expect(weavingTest({ functions: ['handle*'] })).toBeDefined();
  });

  it('decides by path alone where it can', () => {
    const test = weavingTest({ markers: false, functions: ['**/jobs/*.ts#*', '**/api/*.ts#handle*'] });
    expect(test?.('/app/src/jobs/run.ts')).toBe(true);
    expect(test?.('/app/src/util/x.ts')).toBe(false);
    const byContents = test?.('/app/src/api/orders.ts');
    expect(typeof byContents).toBe('function');
    if (typeof byContents !== 'function') return;
    expect(byContents(Buffer.from('export function handleOrder() {}'), '/app/src/api/orders.ts')).toBe(true);
    expect(
      byContents(Buffer.from('// @apm-span\nexport function other() {}'), '/app/src/api/orders.ts'),
    ).toBe(false);
  });
});
