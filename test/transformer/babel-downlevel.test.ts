// The Babel plugin in builds that compile async functions down, with its output run against the real runtime in a
// transaction (the Babel helpers and promise libraries are the real ones from node_modules):
// - @babel/preset-env for old engines with @babel/plugin-transform-runtime on core-js-pure: both the woven function
//   and its body arrow become regenerator functions;
// - @babel/plugin-transform-async-to-generator with Bluebird's coroutine: the body's promise is a Bluebird promise,
//   which the built-in `then` refuses, so the runtime must adopt it first.
import { createRequire } from 'node:module';
import { type PluginItem, transformSync } from '@babel/core';
import { describe, expect, it } from 'vitest';
import * as runtime from '../../runtime/index.js';
import apmWeaverBabelPlugin from '../../transformer/babel.js';
import { isolated, type Json, testClient } from '../runtime/helpers.js';

const SOURCE = `
// @apm-span
export async function charge(amount) {
  await new Promise((resolve) => setTimeout(resolve, 1));
  if (amount > 100) throw new Error('declined');
  return amount * 2;
}
`;

const BUILDS: Record<string, { presets: PluginItem[]; plugins: PluginItem[]; promiseLibrary?: string }> = {
  'preset-env + transform-runtime (core-js-pure)': {
    presets: [['@babel/preset-env', { targets: { ie: '11' }, modules: 'commonjs' }]],
    plugins: [['@babel/plugin-transform-runtime', { corejs: 3 }]],
  },
  'async-to-generator with Bluebird.coroutine': {
    presets: [],
    plugins: [
      ['@babel/plugin-transform-async-to-generator', { module: 'bluebird', method: 'coroutine' }],
      '@babel/plugin-transform-modules-commonjs',
    ],
    promiseLibrary: 'bluebird',
  },
};

function compile(build: (typeof BUILDS)[string]): string {
  return (
    transformSync(SOURCE, {
      filename: '/src/charge.js',
      babelrc: false,
      configFile: false,
      presets: build.presets,
      plugins: [[apmWeaverBabelPlugin, {}], ...build.plugins],
    })?.code ?? ''
  );
}

/** Evaluates the CommonJS output: `apm-weaver` is the runtime under test, everything else comes from node_modules. */
function load(code: string): { charge: (amount: number) => Promise<number> } {
  const requireReal = createRequire(import.meta.url);
  const module = { exports: {} as Record<string, unknown> };
  const require = (id: string) => (id === 'apm-weaver' ? runtime : requireReal(id));
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  return module.exports as { charge: (amount: number) => Promise<number> };
}

for (const [name, build] of Object.entries(BUILDS)) {
  describe(`Babel plugin, async compiled down: ${name}`, () => {
    const code = compile(build);

    it('wove the function and compiled it down', () => {
      expect(code).toContain('wovenAsyncCall)(__apmS0, __apmB0$charge)');
      expect(code).not.toMatch(/\basync (function|\()/);
    });

    it('runs: the same value and the very same error, a span for each call', async () => {
      const { client, transport } = testClient();
      const { charge } = load(code);
      const thrown: unknown[] = [];
      await isolated(async () => {
        client.beginTransaction('checkout');
        const pending = charge(21);
        if (build.promiseLibrary) {
          // The woven function's promise (and its body's) is the library's, not the built-in one.
          expect(pending).toBeInstanceOf(createRequire(import.meta.url)(build.promiseLibrary));
        }
        expect(await pending).toBe(42);
        await charge(500).catch((error: unknown) => thrown.push(error));
        client.endTransaction('done');
      });
      expect((thrown[0] as Error).message).toBe('declined');
      const spans = transport.events.filter((e) => e.kind === 'span').map((e) => e.event as Json);
      expect(spans.map((s) => [s.name, s.outcome])).toEqual([
        ['charge', 'success'],
        ['charge', 'failure'],
      ]);
    });
  });
}
