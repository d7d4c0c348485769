// End to end: the apm-weaver runtime sends to a real `apm-weaver serve` process; the terminal
// waterfall and the page's API must both show what the agent recorded.
import { Client, captureSpan } from 'apm-weaver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTraceText, type Waterfall } from '../../server/waterfall/index.js';
import { type ServeProcess, startServeProcess } from './serve-process.js';

describe('runtime -> apm-weaver serve', () => {
  let serve: ServeProcess;
  beforeAll(async () => {
    serve = await startServeProcess(['--port', '0']);
  });
  afterAll(async () => {
    await serve?.stop();
  });

  it('shows the agent trace in the terminal and on the page, in agreement', async () => {
    const client = new Client({ serviceName: 'runtime-e2e', serverUrl: serve.url, environment: 'test' });
    client.beginTransaction('request');
    await captureSpan('load order', { type: 'db.postgresql.query' }, async () => {
      await captureSpan('parse rows', { type: 'app' }, async () => 1);
    });
    try {
      await captureSpan('charge card', { type: 'external.http' }, async () => {
        throw new Error('card declined');
      });
    } catch (error) {
      client.captureException(error);
    }
    const transaction = client.endTransaction('POST /order', 'HTTP 5xx');
    expect(transaction).toBeDefined();
    await client.close();

    const stdout = await serve.waitForOutput((text) => text.includes('POST /order'));
    const block = stdout.split('\n\n').find((b) => b.includes('POST /order'))!;
    const id = /trace ([0-9a-f]{32})/.exec(block)![1]!;
    const { trace } = (await (await fetch(`${serve.url}/api/traces/${id}`)).json()) as { trace: Waterfall };
    expect(trace.rows.map((row) => [row.name, row.depth, row.type])).toEqual([
      ['POST /order', 0, 'request'],
      ['load order', 1, 'db.postgresql.query'],
      ['parse rows', 2, 'app'],
      ['charge card', 1, 'external.http'],
    ]);
    expect(trace.rows[3]!.outcome).toBe('failure');
    const errors = [...trace.errors, ...trace.rows.flatMap((row) => row.errors)];
    expect(errors.map((e) => e.message)).toEqual(['card declined']);
    expect(errors[0]!.frames.length).toBeGreaterThan(0);
    expect(`${block.replace(/^\n+|\n+$/g, '')}\n`).toBe(renderTraceText(trace));
  });
});
