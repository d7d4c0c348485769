// The esbuild plugin's onLoad filter: the same expectations checked with JavaScript's RegExp and with esbuild itself,
// which matches the filter in Go (RE2) against the paths of real files it bundles.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { MAX_EXCLUDED_PATH_LENGTH, reachableFilter } from '../../plugins/esbuild-filter.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'apm-weaver-filter-')));
const src = join(root, 'src');

/** Each file, whether the filter must let it reach the plugin, and why. */
const FILES: Array<[path: string, reaches: boolean, why: string]> = [
  [join(src, 'main.ts'), true, 'a candidate'],
  [join(src, 'plain.ts'), false, 'scanned, nothing to weave'],
  [join(src, 'deep/er/plain.ts'), false, 'scanned, in a subfolder'],
  [join(src, 'we ird[1]+(x)$^.ts'), true, 'a candidate with characters RE2 and JS treat specially'],
  [join(src, 'we ird[1]+(y)$^.ts'), false, 'its unmarked sibling'],
  [join(src, 'é-ü.ts'), true, 'a candidate with non-ASCII characters'],
  [join(src, 'é-ü2.ts'), false, 'an unmarked non-ASCII sibling'],
  [join(src, '.hidden/plain.ts'), true, 'in a folder the scan skipped'],
  [join(src, 'linked.ts'), true, 'a link the scan skipped'],
  [join(root, 'lib/shared.ts'), true, 'outside the scanned folder'],
  [join(root, 'src2/sibling.ts'), true, 'in a folder whose name starts like the scanned one'],
  [join(root, 'sr.ts'), true, 'a file whose path is a prefix of the scanned folder'],
  [join(root, 'ü/outside.ts'), true, 'outside, non-ASCII'],
  [join(root, 'node_modules/dep/index.js'), false, 'under node_modules'],
  [join(root, 'lib/style.css'), false, 'outside, but not a script'],
  [join(root, 'lib/data.json'), false, 'outside, but not a script'],
  [join(root, 'src.ts'), true, 'outside, diverging from the scanned folder at its extension'],
  [join(root, 's.tsx'), true, 'outside, diverging inside the folder name'],
  [join(root, 'src2/types.d.ts'), true, 'outside, with two dots'],
  [join(root, 'app.ts'), true, 'outside, a prefix of a scanned folder with a dot in its name'],
  [join(root, 'app.tsx'), true, 'outside, diverging inside that folder name after its dot'],
  [join(root, 'app.mts'), true, 'outside, leaving that folder name inside its own extension'],
  [join(root, 'app.tsx.d/inner.ts'), false, 'in the scanned folder with a dot in its name'],
];

const filter = reachableFilter({
  scannedFolders: [`${src}/`, `${root}/app.tsx.d/`],
  neverWovenFolders: [`${root}/node_modules/`],
  files: [join(src, 'main.ts'), join(src, 'we ird[1]+(x)$^.ts'), join(src, 'é-ü.ts')],
  skippedPrefixes: [`${src}/.hidden/`, join(src, 'linked.ts')],
});

describe('reachableFilter', () => {
  it.each(FILES)('%s: reaches the plugin = %s (%s), in JavaScript', (path, reaches) => {
    expect(filter.test(path)).toBe(reaches);
  });

  it('matches the same files in esbuild (Go, RE2) as in JavaScript', async () => {
    for (const [path] of FILES) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, 'export const x = 1;\n');
    }
    const entry = join(root, 'entry.js');
    const imports = FILES.map(([path], i) =>
      path.includes('node_modules') ? "import 'dep';" : `import * as m${i} from ${JSON.stringify(path)};`,
    );
    writeFileSync(join(root, 'lib/style.css'), 'p { color: red }\n');
    writeFileSync(join(root, 'lib/data.json'), '{}\n');
    writeFileSync(entry, `${imports.join('\n')}\n`);
    const reached: string[] = [];
    await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      logLevel: 'silent',
      loader: { '.css': 'text' },
      plugins: [
        {
          name: 'probe',
          setup(build) {
            build.onLoad({ filter }, (args) => {
              reached.push(args.path);
              return undefined;
            });
          },
        },
      ],
    });
    const expected = FILES.filter(([, reaches]) => reaches).map(([path]) => path);
    // The entry is outside the scanned folder, so it reaches the plugin too.
    expect(reached.sort()).toEqual([...expected, entry].sort());
  });

  it('spells the script ending once, however many folders and characters the trie has', () => {
    // esbuild matches the filter against every file it loads: an ending at each node made the expression ten times
    // the size, and matching it cost more than the rest of the plugin's work in esbuild.
    expect(filter.source.split('[cm]?').length - 1).toBe(1);
  });

  it('lets every script outside the folders through and nothing inside, wherever a path leaves them', () => {
    // Paths that follow each folder for every length, then leave it with every kind of character (or end there),
    // and end like a script or not: dotted folder names put the extension's dot before the point of leaving.
    const folders = ['/r/src/', '/r/app.tsx.d/', '/r/a.mjs.d/', '/r/v1.2/', '/r/node_modules/'];
    const exact = reachableFilter({
      scannedFolders: folders,
      neverWovenFolders: [],
      files: [],
      skippedPrefixes: [],
    });
    const endings = [
      '',
      '.ts',
      '.mts',
      '.d.ts',
      '.tsx',
      '.cjs',
      's',
      'ts',
      'sx',
      'x',
      '/x.ts',
      '/x.css',
      '.css',
      '.json',
    ];
    const leaving = ['', 'Z', '.', 't', 's', 'x', 'j', 'm', '/'];
    let scriptsOutside = 0;
    for (const folder of folders) {
      for (let length = 1; length <= folder.length; length++) {
        for (const char of leaving) {
          for (const ending of endings) {
            const path = folder.slice(0, length) + char + ending;
            const inside = folders.some((f) => path.startsWith(f));
            const script = /\.[cm]?[jt]sx?$/.test(path);
            if (inside) expect(exact.test(path), path).toBe(false);
            else if (script) {
              scriptsOutside++;
              expect(exact.test(path), path).toBe(true);
            }
          }
        }
      }
    }
    expect(scriptsOutside).toBeGreaterThan(1000);
  });

  it('lets everything through when nothing was scanned', () => {
    const open = reachableFilter({
      scannedFolders: [],
      neverWovenFolders: [],
      files: [],
      skippedPrefixes: [],
    });
    expect(open.test('/any/file.ts')).toBe(true);
  });

  it('keeps folders too long to spell out reachable rather than risk an expression RE2 refuses', () => {
    const long = `/${'x'.repeat(MAX_EXCLUDED_PATH_LENGTH)}/`;
    const tooLong = reachableFilter({
      scannedFolders: [long],
      neverWovenFolders: [],
      files: [],
      skippedPrefixes: [],
    });
    expect(tooLong.test(`${long}a.ts`)).toBe(true);
  });

  it('is an expression esbuild accepts for many scanned folders and files, and the longest folder', async () => {
    const many = reachableFilter({
      scannedFolders: [
        ...Array.from({ length: 50 }, (_, i) => `${root}/pkg${i}/src/`),
        // As deep as the filter nests: the longest folder it spells out.
        `/${'a/'.repeat(Math.floor((MAX_EXCLUDED_PATH_LENGTH - 1) / 2))}`,
      ],
      neverWovenFolders: [`${root}/node_modules/`],
      files: Array.from({ length: 2000 }, (_, i) => `${root}/pkg${i % 50}/src/file${i}.ts`),
      skippedPrefixes: [],
    });
    const result = await esbuild.build({
      stdin: { contents: 'export {}' },
      write: false,
      logLevel: 'silent',
      plugins: [{ name: 'probe', setup: (build) => build.onLoad({ filter: many }, () => undefined) }],
    });
    expect(result.errors).toEqual([]);
    expect(many.test(`${root}/pkg3/src/file3.ts`)).toBe(true);
    expect(many.test(`${root}/pkg3/src/file4.ts`)).toBe(false);
  });
});
