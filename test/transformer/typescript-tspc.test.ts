// The TypeScript front end as users run it: fixtures/tspc/project compiled by the real `tspc` (ts-patch) with
// `"transform": "apm-weaver/typescript"` in tsconfig.json, then run under node with the real runtime (dist/, which
// `npm test` builds first). Once as an ES module package, once as a CommonJS package (NodeNext follows package.json),
// under the node running the tests and under the node on PATH when that is another version (ts-patch loads our ES
// module entry with require(), which Node supports from 20.19).
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertValidIntake } from '../helpers/intake-schema.js';
import { nodeBinaries } from '../helpers/node-binaries.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROJECT = join(ROOT, 'fixtures/tspc/project');
const TSPC = join(ROOT, 'node_modules/ts-patch/bin/tspc.js');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

interface Built {
  dir: string;
  compile: ReturnType<typeof spawnSync>;
}

/** A copy of the fixture project whose node_modules/apm-weaver is this repository, as after `npm install`. */
function projectCopy(type: 'module' | 'commonjs'): string {
  const dir = mkdtempSync(join(tmpdir(), `apm-weaver-tspc-${type}-`));
  cpSync(PROJECT, dir, { recursive: true, filter: (source) => !source.includes(`${PROJECT}/out`) });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tspc-fixture', private: true, type }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'apm-weaver'), 'dir');
  return dir;
}

function compile(node: string, compiler: string, type: 'module' | 'commonjs'): Built {
  const dir = projectCopy(type);
  const result = spawnSync(node, [compiler, '-p', dir], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { dir, compile: result };
}

function run(node: string, dir: string) {
  return spawnSync(node, ['--enable-source-maps', join(dir, 'out/main.js')], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

const VARIANTS = nodeBinaries().flatMap((node) =>
  (['module', 'commonjs'] as const).map((type) => ({ node, type })),
);

describe.each(VARIANTS)(
  'tspc with apm-weaver/typescript, package type $type, node $node.version',
  ({ node, type }) => {
    let woven: Built;
    let plain: Built;

    beforeAll(() => {
      expect(
        existsSync(join(ROOT, 'dist/transformer/typescript.js')),
        'dist/ is built (npm test builds it)',
      ).toBe(true);
      woven = compile(node.path, TSPC, type);
      plain = compile(node.path, TSC, type);
    });

    it('compiles cleanly, and only tspc weaves', () => {
      for (const { compile } of [woven, plain]) {
        expect(compile.stdout).toBe('');
        expect(compile.status).toBe(0);
      }
      expect(plain.compile.stderr).toBe('');
      // The one function that cannot be woven is reported once, with file, line and column, through console.warn.
      expect(woven.compile.stderr).toBe(
        `[apm-weaver] ${join(woven.dir, 'src/shapes.ts')}:46:3: cannot weave Cube.constructor: a derived-class ` +
          'constructor with parameter properties: TypeScript emits their assignments after a top-level super() call, ' +
          'which the wrapper would move\n',
      );
      const pricing = readFileSync(join(woven.dir, 'out/pricing.js'), 'utf8');
      expect(pricing).toContain('var __apmS0 = __apmDefine("price", "app.fixture");');
      expect(readFileSync(join(plain.dir, 'out/pricing.js'), 'utf8')).not.toContain('__apm');
      // The runtime import takes the form the emitted module uses.
      if (type === 'module')
        expect(pricing).toMatch(/^import \{ defineSpan as __apmDefine, .*\} from "apm-weaver";$/m);
      else expect(pricing).toMatch(/^var \{ defineSpan: __apmDefine, .*\} = require\("apm-weaver"\);$/m);
    });

    it('runs like the unwoven build and reports the spans of the woven functions', () => {
      const wovenRun = run(node.path, woven.dir);
      const plainRun = run(node.path, plain.dir);
      expect(wovenRun.stderr).toBe('');
      expect(wovenRun.status).toBe(0);
      const lines = wovenRun.stdout.trim().split('\n');
      const output = lines.filter((line) => !line.startsWith('SPAN '));
      expect(output.join('\n')).toBe(plainRun.stdout.trim());
      expect(output).toEqual([
        'square of area 9 12 6 [ 0, 1 ] 1.2 6',
        // Source maps lead from the woven JavaScript back to the TypeScript line and column that threw.
        'caught rate service down at pricing.ts:19:9',
        'caught RangeError at shapes.ts:32:25',
        'decorator calls area',
      ]);
      expect(plainRun.stdout).not.toContain('SPAN ');

      const spans = lines.filter((line) => line.startsWith('SPAN ')).map((line) => JSON.parse(line.slice(5)));
      for (const span of spans) assertValidIntake('span', span.event);
      const created = spans.find((s) => s.name === 'new Square' && s.outcome === 'success');
      expect(created?.event.action).toBe('create');
      expect(created?.event.context?.tags).toEqual({ sides: 4 });
      const summary = spans.map(
        (s) => `${s.name} <- ${s.parent}: ${s.outcome} (${s.type}${s.subtype ? `.${s.subtype}` : ''})`,
      );
      // Spans are reported when they end: children before their parents.
      expect(summary.sort()).toEqual(
        [
          'new Square <- transaction: success (app.shape)',
          'new Square <- transaction: failure (app.shape)',
          'Square.area <- Shape.describe: success (app.fixture)',
          'Shape.describe <- transaction: success (app.fixture)',
          'roundCents <- price: success (app.fixture)',
          'price <- transaction: success (app.fixture)',
          'roundCents <- price: success (app.fixture)',
          'price <- transaction: success (app.fixture)',
          'batches <- transaction: success (app.fixture)',
          'fetchRate <- transaction: success (app.fixture)',
          'failingRate <- transaction: failure (app.fixture)',
        ].sort(),
      );
    });
  },
);
