import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPluginOptions } from '../../plugins/options.js';
import { loadRegisterOptions } from '../../plugins/register-options.js';
import { BuildReport } from '../../plugins/report.js';
import { WeaveOptionsError } from '../../transformer/core/options.js';

describe('checkPluginOptions', () => {
  it('splits weave options from the report options', () => {
    const onWarning = () => {};
    const checked = checkPluginOptions({ functions: ['a#b'], markers: false, verbose: true, onWarning });
    expect(checked).toEqual({
      weave: { functions: ['a#b'], markers: false, onWarning },
      verbose: true,
      silent: false,
    });
    expect(checkPluginOptions(undefined)).toEqual({ weave: {}, verbose: false, silent: false });
  });

  it.each([
    [{ functon: ['x'] }, /unknown option "functon"/],
    [{ include: 'src/**' }, /"include" must be an array/],
    [{ functions: ['src/**#'] }, /no name glob/],
    [{ markers: 'yes' }, /"markers" must be true or false/],
    [{ scan: 'no' }, /"scan" must be true or false/],
    [{ onWarning: 'console' }, /"onWarning" must be a function/],
    [{ runtime: '' }, /"runtime" must be a non-empty string/],
    [[], /must be an object/],
  ])('rejects %j with a configuration error', (options, message) => {
    expect(() => checkPluginOptions(options)).toThrow(WeaveOptionsError);
    expect(() => checkPluginOptions(options)).toThrow(message);
  });
});

describe('loadRegisterOptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apm-weaver-options-'));

  it('reads apm-weaver.config.json and lets APM_WEAVER_OPTIONS override it key by key', () => {
    writeFileSync(
      join(dir, 'apm-weaver.config.json'),
      JSON.stringify({ functions: ['a#*'], spanType: 'app' }),
    );
    expect(loadRegisterOptions(dir, {})).toEqual({ functions: ['a#*'], spanType: 'app' });
    expect(loadRegisterOptions(dir, { APM_WEAVER_OPTIONS: '{"spanType":"custom","silent":true}' })).toEqual({
      functions: ['a#*'],
      spanType: 'custom',
      silent: true,
    });
  });

  it('reads the file APM_WEAVER_CONFIG names instead', () => {
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ markers: false }));
    expect(loadRegisterOptions(dir, { APM_WEAVER_CONFIG: 'other.json' })).toEqual({ markers: false });
  });

  it('reports invalid JSON and a missing named file as configuration errors', () => {
    expect(() => loadRegisterOptions(dir, { APM_WEAVER_OPTIONS: '{functions:' })).toThrow(
      /APM_WEAVER_OPTIONS is not valid JSON/,
    );
    expect(() => loadRegisterOptions(dir, { APM_WEAVER_OPTIONS: '[1]' })).toThrow(/must hold a JSON object/);
    expect(() => loadRegisterOptions(dir, { APM_WEAVER_CONFIG: 'missing.json' })).toThrow(WeaveOptionsError);
  });
});

describe('BuildReport', () => {
  it('counts functions and files, lists warnings with file:line:column, and starts over on reset', () => {
    const report = new BuildReport();
    report.addWoven('/app/src/a.ts', ['f', 'Cart.add']);
    report.addWoven('/app/src/b.ts', ['g']);
    report.addWoven('/app/src/c.ts', []);
    report.addWarning({
      file: '/app/src/b.ts',
      line: 3,
      column: 0,
      message: 'marker stands before nothing weavable',
    });
    expect(report.lines(false, '/app')).toEqual([
      '[apm-weaver] 3 functions woven in 2 files, 1 warning',
      '  warning src/b.ts:3:1 marker stands before nothing weavable',
    ]);
    expect(report.lines(true, '/app')).toContain('  src/a.ts: f, Cart.add');
    report.reset();
    expect(report.lines(true, '/app')).toEqual(['[apm-weaver] 0 functions woven in 0 files']);
  });
});
