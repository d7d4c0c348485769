// instrument(): incoming node:http requests become transactions (real servers, real intake).

import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  captureSpan,
  getTraceId,
  getTransactionId,
  instrument,
  setTransactionName,
} from '../../runtime/index.js';
import { expectAllValid, HEX16, perTestHarness, send } from './helpers.js';

const { start, serve } = perTestHarness();

const ids = () => ({ transactionId: getTransactionId(), traceId: getTraceId() });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('incoming requests', () => {
  it('gives concurrent requests separate transactions, current in their handlers', async () => {
    const harness = await start();
    const url = await serve(async (req, res) => {
      const before = ids();
      await sleep(Number(new URL(req.url ?? '/', 'http://x').searchParams.get('wait')));
      res.end(JSON.stringify({ before, after: ids() }));
    });
    const waits = [40, 5, 30, 0, 20, 10];
    const replies = await Promise.all(waits.map((wait) => send(`${url}/c?wait=${wait}`)));
    const seen = replies.map(
      (r) => JSON.parse(r.body) as { before: { transactionId: string }; after: { transactionId: string } },
    );
    for (const s of seen) {
      expect(s.before.transactionId).toMatch(HEX16);
      expect(s.after).toEqual(s.before);
    }
    expect(new Set(seen.map((s) => s.before.transactionId)).size).toBe(waits.length);
    const transactions = await harness.intake.waitForKind('transaction', waits.length);
    expect(new Set(transactions.map((t) => t.data.id))).toEqual(
      new Set(seen.map((s) => s.before.transactionId)),
    );
    for (const t of transactions) {
      expect(t.data).toMatchObject({
        type: 'request',
        name: 'GET unknown route',
        result: 'HTTP 2xx',
        outcome: 'success',
      });
    }
    expectAllValid(harness.intake);
  });

  it('keeps the transaction across timers, a streamed request body and spans started late', async () => {
    const harness = await start();
    const url = await serve((req, res) => {
      const seen: Record<string, string | undefined> = { start: getTransactionId() };
      setTimeout(() => {
        seen.timer = getTransactionId();
      }, 1);
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
        seen.data = getTransactionId();
      });
      req.on('end', async () => {
        seen.end = getTransactionId();
        await sleep(5);
        await captureSpan('after-body', { type: 'app.internal' }, async () => {
          seen.inSpan = getTransactionId();
          await sleep(2);
        });
        res.end(JSON.stringify({ seen, body }));
      });
    });
    const reply = await send(`${url}/upload`, { method: 'POST', chunks: ['one,', 'two,', 'three'] });
    const { seen, body } = JSON.parse(reply.body) as { seen: Record<string, string>; body: string };
    expect(body).toBe('one,two,three');
    expect(seen.start).toMatch(HEX16);
    expect(new Set(Object.values(seen))).toEqual(new Set([seen.start]));
    expect(Object.keys(seen).sort()).toEqual(['data', 'end', 'inSpan', 'start', 'timer']);
    const [span] = await harness.intake.waitForKind('span', 1);
    const [transaction] = await harness.intake.waitForKind('transaction', 1);
    expect(transaction?.data).toMatchObject({ id: seen.start, name: 'POST unknown route' });
    expect(span?.data).toMatchObject({
      name: 'after-body',
      parent_id: seen.start,
      transaction_id: seen.start,
    });
    expectAllValid(harness.intake);
  });

  it('keeps the transaction while reading the body with for await and streaming the answer with timers', async () => {
    const harness = await start();
    const url = await serve(async (req, res) => {
      const start = getTransactionId();
      const seen: (string | undefined)[] = [];
      let body = '';
      for await (const chunk of req) {
        body += String(chunk);
        seen.push(getTransactionId());
      }
      res.setHeader('content-type', 'text/plain');
      for (const part of ['a', 'b', 'c']) {
        await new Promise<void>((resolve) =>
          setTimeout(() => {
            seen.push(getTransactionId());
            res.write(part, () => resolve());
          }, 3),
        );
      }
      res.end(`|${body}|${seen.every((id) => id === start) && seen.length >= 4 ? 'same' : 'lost'}|${start}`);
    });
    const reply = await send(`${url}/stream`, { method: 'PUT', chunks: ['x', 'y', 'z'] });
    const [, body, verdict, id] = reply.body.split('|');
    expect(body).toBe('xyz');
    expect(verdict).toBe('same');
    const [transaction] = await harness.intake.waitForKind('transaction', 1);
    expect(transaction?.data).toMatchObject({ id, name: 'PUT unknown route', result: 'HTTP 2xx' });
  });

  it('leaves an unread request body alone: no listener of ours switches the stream to flowing', async () => {
    await start();
    const url = await serve((req, res) => {
      const state = { flowing: req.readableFlowing, dataListeners: req.listenerCount('data') };
      setTimeout(() => res.end(JSON.stringify({ ...state, later: req.readableFlowing })), 20);
    });
    const reply = await send(`${url}/unread`, { method: 'POST', chunks: ['ignored'] });
    expect(JSON.parse(reply.body)).toEqual({ flowing: null, dataListeners: 0, later: null });
  });

  it('ends the transaction when the client goes away before the response', async () => {
    const harness = await start();
    let gone!: () => void;
    const closed = new Promise<void>((resolve) => {
      gone = resolve;
    });
    const url = await serve((_req, res) => {
      res.on('close', () => gone());
    });
    const client = request(`${url}/slow`);
    client.on('error', () => undefined);
    client.end();
    setTimeout(() => client.destroy(), 50);
    await closed;
    const [transaction] = await harness.intake.waitForKind('transaction', 1);
    expect(transaction?.data).toMatchObject({ name: 'GET unknown route', type: 'request' });
    expect(transaction?.data.result).toBeUndefined();
    expectAllValid(harness.intake);
  });

  it('sets result and outcome from the status: 4xx is success, 5xx failure; names set by the app win', async () => {
    const harness = await start();
    const url = await serve((req, res) => {
      const status = Number(req.url?.slice(1));
      if (status === 201) setTransactionName('POST /orders');
      res.statusCode = status;
      res.end();
    });
    for (const status of [201, 302, 404, 503])
      await send(`${url}/${status}`, { method: status === 201 ? 'POST' : 'GET' });
    const events = await harness.intake.waitForKind('transaction', 4);
    const byResult = Object.fromEntries(events.map((e) => [e.data.result, e.data]));
    expect(byResult['HTTP 2xx']).toMatchObject({ name: 'POST /orders', outcome: 'success' });
    expect(byResult['HTTP 3xx']).toMatchObject({ name: 'GET unknown route', outcome: 'success' });
    expect(byResult['HTTP 4xx']).toMatchObject({ outcome: 'success' });
    expect(byResult['HTTP 5xx']).toMatchObject({ outcome: 'failure' });
    const notFound = byResult['HTTP 4xx'] as { context: { response: { status_code: number } } };
    expect(notFound.context.response.status_code).toBe(404);
    expectAllValid(harness.intake);
  });

  it('names transactions by path when usePathAsTransactionName is set', async () => {
    const harness = await start({ usePathAsTransactionName: true });
    const url = await serve((_req, res) => res.end());
    await send(`${url}/users/42?verbose=1`);
    const [transaction] = await harness.intake.waitForKind('transaction', 1);
    expect(transaction?.data.name).toBe('GET /users/42');
  });

  it('records request and response context with sanitised headers and cookies; secrets never reach the intake', async () => {
    const harness = await start();
    const url = await serve((_req, res) => {
      res.setHeader('Set-Cookie', ['sid=resp-secret-1; HttpOnly']);
      res.setHeader('X-Upstream-Token', 'resp-secret-2');
      res.setHeader('Content-Type', 'text/plain');
      res.end('ok');
    });
    await send(`${url}/account?tab=1`, {
      headers: {
        Authorization: 'Bearer req-secret-1',
        'X-Api-Key': 'req-secret-2',
        Cookie: 'theme=dark; sessionid=req-secret-3',
        'X-Request-Note': 'visible',
      },
    });
    const [transaction] = await harness.intake.waitForKind('transaction', 1);
    const context = transaction?.data.context as {
      request: Record<string, unknown> & { headers: Record<string, string>; url: Record<string, unknown> };
      response: { headers: Record<string, string>; status_code: number };
    };
    expect(context.request.method).toBe('GET');
    expect(context.request.url).toMatchObject({
      pathname: '/account',
      search: 'tab=1',
      raw: '/account?tab=1',
    });
    expect(context.request.headers).toMatchObject({
      authorization: '[REDACTED]',
      'x-api-key': '[REDACTED]',
      cookie: 'theme=dark; sessionid=[REDACTED]',
      'x-request-note': 'visible',
    });
    expect(context.request.cookies).toEqual({ theme: 'dark', sessionid: '[REDACTED]' });
    expect(context.response.headers).toMatchObject({
      'set-cookie': '[REDACTED]',
      'x-upstream-token': '[REDACTED]',
      'content-type': 'text/plain',
    });
    const everything = JSON.stringify(harness.intake.events());
    for (const secret of ['req-secret-1', 'req-secret-2', 'req-secret-3', 'resp-secret-1', 'resp-secret-2']) {
      expect(everything).not.toContain(secret);
    }
    expectAllValid(harness.intake);
  });

  it("continues the caller's trace from traceparent and tracestate", async () => {
    const harness = await start();
    const url = await serve((_req, res) => res.end());
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await send(url, {
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01`, tracestate: 'es=s:0.5,other=x' },
    });
    const [transaction] = await harness.intake.waitForKind('transaction', 1);
    expect(transaction?.data).toMatchObject({
      trace_id: traceId,
      parent_id: 'b7ad6b7169203331',
      sample_rate: 0.5,
    });
  });

  it('does not trace its own intake traffic, and instrument() twice still gives one transaction', async () => {
    const harness = await start();
    expect(instrument()).toBe(true);
    const url = await serve((_req, res) => res.end());
    await send(url);
    await harness.client.flush();
    await send(url);
    await harness.client.flush();
    await harness.intake.waitForKind('transaction', 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const transactions = harness.intake.dataOf('transaction');
    expect(transactions).toHaveLength(2);
    expect(harness.intake.dataOf('span')).toHaveLength(0);
  });

  it('does nothing without an active client: no transaction, no listener added', async () => {
    const harness = await start();
    const url = await serve((req, res) =>
      res.end(JSON.stringify({ tx: getTransactionId() ?? null, hooks: req.listenerCount('newListener') })),
    );
    expect(JSON.parse((await send(url)).body)).toMatchObject({ hooks: 1 });
    await harness.client.close();
    expect(JSON.parse((await send(url)).body)).toEqual({ tx: null, hooks: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(harness.intake.dataOf('transaction')).toHaveLength(1);
  });
});
