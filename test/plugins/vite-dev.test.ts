// Vite's dev server (no build): the plugin weaves on request, and the map Vite serves leads back to the TypeScript.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { createServer } from 'vite';
import { expect, it } from 'vitest';
import vitePlugin from '../../plugins/vite.js';
import { FIXTURE_DIR } from './helpers/scenario.js';

it('vite dev server: woven on request, source map back to the original line and column', async () => {
  const options = JSON.parse(readFileSync(join(FIXTURE_DIR, 'apm-weaver.config.json'), 'utf8'));
  const server = await createServer({
    configFile: false,
    root: FIXTURE_DIR,
    logLevel: 'silent',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false },
    plugins: [vitePlugin({ ...options, silent: true })],
  });
  try {
    const result = await server.transformRequest('/src/orders/order-service.ts', { ssr: true });
    const code = result?.code ?? '';
    // The runtime import, resolved by Vite from the app (here: this package, by self-reference).
    // The package's entry for bundlers (the `module` export condition), as the app's own import gets it.
    expect(code).toMatch(/__vite_ssr_import__\("[^"]*\/dist\/apm-weaver-inline\.js"/);
    expect(code).toContain('defineSpan)("OrderService.validate"');
    expect(code).not.toMatch(/:\s*Order\b/); // TypeScript stripped after weaving

    // `throw new Error(` stands at line 26, column 12 (0-based) of the TypeScript file.
    const line = code.split('\n').findIndex((text) => text.includes('throw new Error('));
    const column = (code.split('\n')[line] ?? '').indexOf('new Error(');
    const map = new TraceMap(result?.map as never);
    const original = originalPositionFor(map, { line: line + 1, column });
    expect(original.source).toMatch(/order-service\.ts$/);
    expect([original.line, original.column]).toEqual([26, 12]);
  } finally {
    await server.close();
  }
});
