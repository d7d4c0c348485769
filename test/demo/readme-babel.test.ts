// The README's Babel section, as a user's project would run it: a babel.config.json naming the plugin
// "apm-weaver/babel", the package installed in node_modules (linked here to this checkout, resolved
// through its exports map to dist/), and Babel's synchronous and asynchronous APIs.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/processes.js';
import { repoRoot } from '../helpers/spec.js';

const SOURCE = `// @apm-span type=db.query
export async function load(id: number): Promise<number> {
  return id;
}
export function price(n: number): number {
  return n * 2;
}
export function untouched(): void {}
`;

const RUN_BABEL = `
const babel = require('@babel/core');
const sync = babel.transformFileSync('src/orders.ts').code;
babel.transformFileAsync('src/orders.ts').then((result) => {
  process.stdout.write(JSON.stringify({ sync, async: result.code }));
});
`;

describe('README: Babel section', () => {
  const app = mkdtempSync(join(tmpdir(), 'apm-weaver-babel-app-'));
  afterAll(() => rmSync(app, { recursive: true, force: true }));

  it('weaves with the documented babel.config.json, sync and async', async () => {
    mkdirSync(join(app, 'node_modules'));
    mkdirSync(join(app, 'src'));
    symlinkSync(repoRoot, join(app, 'node_modules/apm-weaver'), 'dir');
    symlinkSync(join(repoRoot, 'node_modules/@babel'), join(app, 'node_modules/@babel'), 'dir');
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
    writeFileSync(join(app, 'src/orders.ts'), SOURCE);
    writeFileSync(
      join(app, 'babel.config.json'),
      JSON.stringify({
        presets: ['@babel/preset-typescript'],
        plugins: [['apm-weaver/babel', { functions: ['src/**#price'] }]],
      }),
    );
    const run = await runProcess(process.execPath, ['-e', RUN_BABEL], { cwd: app });
    expect(run.code, run.output).toBe(0);
    const { sync, async } = JSON.parse(run.stdout) as { sync: string; async: string };
    expect(async).toBe(sync);
    expect(sync).toContain('from "apm-weaver"');
    expect(sync).toContain('__apmDefine("load", "db.query")');
    expect(sync).toContain('__apmDefine("price", "code.custom")');
    expect(sync).not.toContain('"untouched"');
    expect(sync).not.toContain(': number');
  });
});
