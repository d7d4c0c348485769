// Importing the runtime must not change the process: no listeners, no Error hooks, no timers,
// nothing on globalThis but the one shared-state key. Checked in a fresh child process on a bundled copy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleRuntime } from './bundle-runtime.js';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'apm-weaver-import-'));
  await bundleRuntime(join(dir, 'runtime.mjs'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROBE = `
// Node's own modules may set globals when first loaded (node:http does under some proxy settings):
// load them first so that only the runtime's own effects are compared.
for (const m of ['http', 'https', 'net', 'tls', 'zlib', 'crypto', 'os', 'fs', 'url', 'util', 'path', 'events', 'async_hooks', 'diagnostics_channel']) {
  await import('node:' + m);
}
const events = ['exit', 'beforeExit', 'uncaughtException', 'unhandledRejection', 'SIGINT', 'SIGTERM', 'warning'];
const snapshot = () => ({
  listeners: events.map((e) => process.listenerCount(e)),
  stackTraceLimit: Error.stackTraceLimit,
  prepareStackTrace: typeof Error.prepareStackTrace,
  globals: Reflect.ownKeys(globalThis).map(String).sort(),
  // Timers and sockets matter; stdio pipes and in-flight file requests of the module loader do not.
  handles: process.getActiveResourcesInfo().filter((r) => !/^(TTYWrap|PipeWrap|CloseReq|FSReqCallback|FSReqPromise)$/.test(r)).sort(),
});
const before = snapshot();
const rt = await import('./runtime.mjs');
const after = snapshot();
// A client with an in-memory transport, a transaction and a span: the process must still exit on its own.
const transport = new rt.MemoryTransport();
new rt.Client({ transport });
rt.beginTransaction('probe');
rt.wovenCall(rt.defineSpan('s'), () => 1);
rt.endTransaction('done');
console.log(JSON.stringify({ before, after, events: transport.events.length }));
`;

describe('importing the runtime', () => {
  it('changes nothing in the process but one Symbol.for key, and lets it exit', () => {
    writeFileSync(join(dir, 'probe.mjs'), PROBE);
    const out = execFileSync(process.execPath, [join(dir, 'probe.mjs')], {
      cwd: dir,
      timeout: 20_000,
    }).toString();
    const { before, after, events } = JSON.parse(out) as {
      before: Record<string, unknown> & { globals: string[] };
      after: Record<string, unknown> & { globals: string[] };
      events: number;
    };
    expect(after.listeners).toEqual(before.listeners);
    expect(after.stackTraceLimit).toBe(before.stackTraceLimit);
    expect(after.prepareStackTrace).toBe(before.prepareStackTrace);
    expect(after.handles).toEqual(before.handles);
    expect(after.globals.filter((g) => !before.globals.includes(g))).toEqual([
      'Symbol(apm-weaver.runtime.v1)',
    ]);
    expect(events).toBe(2);
  });
});
