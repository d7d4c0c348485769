// instrument(): outgoing node:http and fetch requests become exit spans and carry the trace
// (real servers on loopback, real intake). node:http propagation depends on the Node version.
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { getTraceId, getTransactionId } from '../../runtime/index.js';
import { nodeHttpClientPropagates } from '../../runtime/instrument/http-client.js';
import { expectAllValid, perTestHarness, send } from './helpers.js';

const { start, serve } = perTestHarness();

function httpGet(url: string, headers?: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

type Data = Record<string, unknown>;
const propagatesHttp = nodeHttpClientPropagates();

describe('outgoing requests', () => {
  it('records http and fetch exit spans and the callee continues the trace', async () => {
    const harness = await start();
    const seenByB: Record<string, { traceparent?: string; tracestate?: string; tx?: string }> = {};
    const b = await serve((req, res) => {
      const key = req.url?.includes('fetch') ? 'fetch' : 'http';
      seenByB[key] = {
        traceparent: req.headers.traceparent as string | undefined,
        tracestate: req.headers.tracestate as string | undefined,
        tx: getTransactionId(),
      };
      res.end('b');
    });
    const a = await serve(async (_req, res) => {
      await httpGet(`${b}/via-http?q=1`);
      await (await fetch(`${b}/via-fetch`)).text();
      res.end(JSON.stringify({ tx: getTransactionId(), trace: getTraceId() }));
    });
    const reply = JSON.parse((await send(a)).body) as { tx: string; trace: string };
    const spans = await harness.intake.waitForKind('span', 2);
    await harness.intake.waitForKind('transaction', 3);
    const bPort = Number(new URL(b).port);
    const host = `127.0.0.1:${bPort}`;
    const byUrl = (part: string) =>
      spans
        .map((s) => s.data)
        .find((s) =>
          String((s.context as Data).http && ((s.context as Data).http as Data).url).includes(part),
        );
    for (const [part, url] of [
      ['via-http', `${b}/via-http?q=1`],
      ['via-fetch', `${b}/via-fetch`],
    ] as const) {
      const span = byUrl(part);
      expect(span).toMatchObject({
        name: `GET ${host}`,
        type: 'external',
        subtype: 'http',
        outcome: 'success',
        parent_id: reply.tx,
        transaction_id: reply.tx,
        trace_id: reply.trace,
        context: {
          http: { method: 'GET', url, status_code: 200 },
          destination: { address: '127.0.0.1', port: bPort, service: { resource: host } },
          service: { target: { type: 'http', name: host } },
        },
      });
    }
    const transactions = harness.intake.dataOf('transaction');
    const bFetch = transactions.find((t) => t.id === seenByB.fetch?.tx);
    expect(bFetch).toMatchObject({ trace_id: reply.trace, parent_id: byUrl('via-fetch')?.id });
    expect(seenByB.fetch?.tracestate).toBe('es=s:1');
    const bHttp = transactions.find((t) => t.id === seenByB.http?.tx);
    if (propagatesHttp) {
      expect(bHttp).toMatchObject({ trace_id: reply.trace, parent_id: byUrl('via-http')?.id });
      expect(seenByB.http?.traceparent).toBe(`00-${reply.trace}-${byUrl('via-http')?.id}-01`);
    } else {
      // Node 20: http.client.request.start comes after the headers were built; the span is recorded,
      // the header cannot be added, and B starts a trace of its own.
      expect(seenByB.http?.traceparent).toBeUndefined();
      expect(bHttp?.trace_id).not.toBe(reply.trace);
    }
    expectAllValid(harness.intake);
  });

  it('marks 4xx answers and refused connections as failures', async () => {
    const harness = await start();
    const b = await serve((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const a = await serve(async (_req, res) => {
      await httpGet(`${b}/missing-http`);
      await fetch(`${b}/missing-fetch`);
      await httpGet(`${dead}/refused-http`).catch(() => undefined);
      await fetch(`${dead}/refused-fetch`).catch(() => undefined);
      res.end();
    });
    await send(a);
    const spans = (await harness.intake.waitForKind('span', 4)).map((s) => s.data);
    const http = (s: Data) => (s.context as { http: { url: string; status_code?: number } }).http;
    for (const path of ['missing-http', 'missing-fetch']) {
      const span = spans.find((s) => http(s).url.endsWith(path));
      expect(span?.outcome).toBe('failure');
      expect(http(span as Data).status_code).toBe(404);
    }
    for (const path of ['refused-http', 'refused-fetch']) {
      const span = spans.find((s) => http(s).url.endsWith(path));
      expect(span?.outcome).toBe('failure');
      expect(http(span as Data).status_code).toBeUndefined();
    }
    expectAllValid(harness.intake);
  });

  it('records nothing and sends no header outside a transaction; keeps a traceparent the app set', async () => {
    await start();
    const headers: (string | undefined)[] = [];
    const b = await serve((req, res) => {
      headers.push(req.headers.traceparent as string | undefined);
      res.end();
    });
    await httpGet(b);
    await fetch(b);
    const own = '00-11111111111111111111111111111111-2222222222222222-01';
    const a = await serve(async (_req, res) => {
      await fetch(b, { headers: { traceparent: own } });
      if (propagatesHttp) await httpGet(b, { traceparent: own });
      res.end();
    });
    await send(a);
    expect(headers.slice(0, 2)).toEqual([undefined, undefined]);
    expect(headers.slice(2)).toEqual(propagatesHttp ? [own, own] : [own]);
  });

  it('propagates an unsampled decision with the transaction as parent and records no span', async () => {
    const harness = await start({ transactionSampleRate: 0 });
    let traceparent: string | undefined;
    const b = await serve((req, res) => {
      traceparent = req.headers.traceparent as string | undefined;
      res.end();
    });
    const a = await serve(async (_req, res) => {
      await fetch(b);
      res.end(JSON.stringify({ tx: getTransactionId(), trace: getTraceId() }));
    });
    const reply = JSON.parse((await send(a)).body) as { tx: string; trace: string };
    expect(traceparent).toBe(`00-${reply.trace}-${reply.tx}-00`);
    await harness.client.flush();
    expect(harness.intake.dataOf('span')).toHaveLength(0);
  });
});
