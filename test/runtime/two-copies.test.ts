// Two bundled copies of the runtime in one process (as when an app and a library each bundle it)
// must share one client and one context, or spans from one copy would be lost to the other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithin } from '../../runtime/context.js';
import { bundleRuntime } from './bundle-runtime.js';
import { expectAllValid, testClient } from './helpers.js';

type Runtime = typeof import('../../runtime/index.js');
let dir: string;
let first: Runtime;
let second: Runtime;

async function bundleCopy(name: string): Promise<Runtime> {
  const outfile = join(dir, `${name}.mjs`);
  await bundleRuntime(outfile);
  return (await import(/* @vite-ignore */ pathToFileURL(outfile).href)) as Runtime;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'apm-weaver-copies-'));
  first = await bundleCopy('copy1');
  second = await bundleCopy('copy2');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('two bundled copies of the runtime', () => {
  it('are really distinct module instances', () => {
    expect(first.Client).not.toBe(second.Client);
    expect(first.wovenCall).not.toBe(second.wovenCall);
  });

  it('share the newest client', () => {
    const client = new first.Client({ transport: new first.MemoryTransport(), logger: silent });
    expect(second.getClient()).toBe(client);
    const { client: fromSource } = testClient();
    expect(first.getClient()).toBe(fromSource);
    expect(second.getClient()).toBe(fromSource);
  });

  it('share the context: a transaction begun in one copy parents spans woven by the other', async () => {
    const { transport } = testClient();
    await runWithin(undefined, async () => {
      const tx = first.beginTransaction('job');
      expect(second.getTransactionId()).toBe(tx?.id);
      const spec = second.defineSpan('from copy 2');
      await second.wovenCall(spec, async () => {
        expect(first.getSpanId()).toBeDefined();
        first.wovenCall(first.defineSpan('nested from copy 1'), () => {
          second.captureException(new Error('seen by both'));
        });
      });
      second.endTransaction('shared');
    });
    const [nested, outer] = transport.spans;
    const tx = transport.transactions[0];
    expect(outer).toMatchObject({ name: 'from copy 2', parent_id: tx?.id });
    expect(nested).toMatchObject({ name: 'nested from copy 1', parent_id: outer?.id });
    expect(transport.errors[0]).toMatchObject({ parent_id: nested?.id, transaction_id: tx?.id });
    expect(tx).toMatchObject({ name: 'shared', span_count: { started: 2, dropped: 0 } });
    expectAllValid(transport);
  });
});

const silent = { error() {}, warn() {}, info() {}, debug() {} };
