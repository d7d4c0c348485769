// The page's JSON and SSE API, on an in-process `startWeaverServer` fed real gzip posts.
import { afterEach, describe, expect, it } from 'vitest';
import { startWeaverServer, type WeaverServer } from '../../server/ui/serve.js';
import type { FinishedTrace } from '../../server/waterfall/index.js';
import { postIntake } from './serve-process.js';
import { checkoutTrace, toNdjson } from './trace-builder.js';

/** Reads an SSE stream until a `traces` event names the trace id. */
async function waitForTraceEvent(body: ReadableStream<Uint8Array>, traceId: string): Promise<string[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before naming ${traceId}:\n${buffer}`);
      buffer += decoder.decode(value, { stream: true });
      for (const message of buffer.split('\n\n')) {
        const match = /^event: traces\ndata: (.*)$/m.exec(message);
        const ids = match ? (JSON.parse(match[1]!) as string[]) : [];
        if (ids.includes(traceId)) return ids;
      }
    }
  } finally {
    await reader.cancel();
  }
}

describe('startWeaverServer API', () => {
  let server: WeaverServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('streams changed trace ids to open pages', async () => {
    server = await startWeaverServer({ port: 0 });
    const stream = await fetch(`${server.url}/api/stream`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const trace = checkoutTrace();
    const named = waitForTraceEvent(stream.body!, trace.traceId);
    expect((await postIntake(server.url, toNdjson(trace))).status).toBe(202);
    // The message names each changed trace once, however many of its events arrived.
    expect(await named).toEqual([trace.traceId]);
  });

  it('keeps only the last maxTraces traces and lists them newest first', async () => {
    server = await startWeaverServer({ port: 0, maxTraces: 3 });
    const traces = [1, 2, 3, 4, 5].map((n) => checkoutTrace({ name: `request ${n}` }));
    for (const trace of traces) expect((await postIntake(server.url, toNdjson(trace))).status).toBe(202);
    const list = (await (await fetch(`${server.url}/api/traces`)).json()) as {
      traces: Array<{ traceId: string; name: string; spanCount: number; errorCount: number; rows?: unknown }>;
    };
    expect(list.traces.map((t) => t.name)).toEqual(['request 5', 'request 4', 'request 3']);
    expect(list.traces[0]).toMatchObject({ spanCount: 3, errorCount: 1 });
    expect(list.traces[0]!.rows).toBeUndefined();
    expect((await fetch(`${server.url}/api/traces/${traces[0]!.traceId}`)).status).toBe(404);
  });

  it('reports finished traces to its caller', async () => {
    const finished: FinishedTrace[] = [];
    let reported: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      reported = resolve;
    });
    server = await startWeaverServer({
      port: 0,
      quietMs: 50,
      onFinishedTrace: (f) => {
        finished.push(f);
        reported();
      },
    });
    const trace = checkoutTrace();
    await postIntake(server.url, toNdjson(trace));
    await done;
    expect(finished[0]).toMatchObject({ complete: true, update: false });
    expect(finished[0]!.waterfall.traceId).toBe(trace.traceId);
  });
});
