// Distributed tracing across real processes, under every Node binary found (20 and 24 here):
// service A calls service B with node:http and with fetch; B continues A's trace with A's exit span
// as parent. The same with elastic-apm-node as B and as A. Errors thrown in B's handlers are
// reported with B's transaction ids. Needs dist/ (npm test builds it; or npx tsc -p tsconfig.build.json).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpClientPropagates } from '../../runtime/instrument/http-client.js';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { repoRoot } from '../helpers/spec.js';
import { type Service, startService } from './services.js';

type Data = Record<string, unknown>;
interface Ids {
  traceId: string;
  transactionId: string;
}
interface CallReply extends Ids {
  status: number;
  callee: Ids;
}

let intake: LocalIntake;
beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist/runtime/instrument.js'))) {
    throw new Error('dist/ is missing: build first with "npx tsc -p tsconfig.build.json"');
  }
  intake = await startLocalIntake();
});
afterAll(() => intake?.close());

const running: Service[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  // Everything any agent sent was accepted by the schema-validating intake.
  for (const request of intake.requests()) expect(request.errors).toEqual([]);
  expect(intake.stats.rejected).toBe(0);
});

const agentEnv = (name: string) => ({
  ELASTIC_APM_SERVER_URL: intake.url,
  ELASTIC_APM_SERVICE_NAME: name,
  ELASTIC_APM_CENTRAL_CONFIG: 'false',
  ELASTIC_APM_CLOUD_PROVIDER: 'none',
  ELASTIC_APM_METRICS_INTERVAL: '0s',
  ELASTIC_APM_CAPTURE_EXCEPTIONS: 'false',
  ELASTIC_APM_LOG_LEVEL: 'warning',
});

async function start(node: string, fixture: 'weaver-service.mjs' | 'elastic-service.cjs', name: string) {
  const service = await startService(node, fixture, agentEnv(name));
  running.push(service);
  return service;
}

const transactionById = async (id: string) =>
  (
    await intake.waitForEvents((events) => events.some((e) => e.kind === 'transaction' && e.data.id === id))
  ).find((e) => e.kind === 'transaction' && e.data.id === id)?.data as Data;

/** The exit span A's transaction recorded for its call to `target`. */
async function exitSpanOf(transactionId: string, target: string): Promise<Data> {
  const isIt = (d: Data) =>
    d.transaction_id === transactionId && String(((d.context as Data)?.http as Data)?.url).startsWith(target);
  const events = await intake.waitForEvents((all) => all.some((e) => e.kind === 'span' && isIt(e.data)));
  return events.find((e) => e.kind === 'span' && isIt(e.data))?.data as Data;
}

/**
 * A calls B's /hello via http or fetch. Returns A's exit span and B's transaction, both as the
 * intake received them, and A's and B's ids as they saw them while handling the requests.
 */
async function call(a: Service, b: Service, via: 'http' | 'fetch') {
  const target = `${b.url}/hello`;
  const reply = await a.get<CallReply>(`/call?via=${via}&target=${encodeURIComponent(target)}`);
  expect(reply.status).toBe(200);
  await Promise.all([a.get('/flush'), b.get('/flush')]);
  const span = await exitSpanOf(reply.transactionId, target);
  const callee = await transactionById(reply.callee.transactionId);
  return { reply, span, callee };
}

/** B continued A's trace, with A's exit span as its parent. */
function expectContinued({ reply, span, callee }: Awaited<ReturnType<typeof call>>): void {
  expect(span).toMatchObject({ trace_id: reply.traceId, transaction_id: reply.transactionId });
  expect(callee).toMatchObject({ trace_id: reply.traceId, parent_id: span.id });
}

for (const { path: node, version } of nodeBinaries()) {
  const httpPropagates = nodeHttpClientPropagates(version);

  describe(`Node ${version}`, () => {
    it('apm-weaver A -> apm-weaver B, with fetch and with http', async () => {
      const [a, b] = await Promise.all([
        start(node, 'weaver-service.mjs', 'weaver-a'),
        start(node, 'weaver-service.mjs', 'weaver-b'),
      ]);
      const viaFetch = await call(a, b, 'fetch');
      expectContinued(viaFetch);
      expect(viaFetch.span).toMatchObject({ type: 'external', subtype: 'http', outcome: 'success' });
      expect(viaFetch.callee).toMatchObject({
        type: 'request',
        name: 'GET unknown route',
        result: 'HTTP 2xx',
      });

      const viaHttp = await call(a, b, 'http');
      expect(viaHttp.span).toMatchObject({ type: 'external', subtype: 'http', outcome: 'success' });
      if (httpPropagates) {
        expectContinued(viaHttp);
      } else {
        // http.client.request.start comes after the header block was built: the exit span is
        // recorded, no traceparent can be added, and B starts a trace of its own.
        expect(viaHttp.callee.trace_id).not.toBe(viaHttp.reply.traceId);
        expect(viaHttp.callee.parent_id).toBeUndefined();
      }
    });

    it('errors thrown in handlers are reported with the transaction ids', async () => {
      const b = await start(node, 'weaver-service.mjs', 'weaver-errors');
      const sync = await b.get<Ids>('/throw-sync');
      const async_ = await b.get<Ids>('/throw-async');
      await b.get('/flush');
      const errors = await intake.waitForEvents((all) =>
        [sync, async_].every((ids) =>
          all.some((e) => e.kind === 'error' && e.data.transaction_id === ids.transactionId),
        ),
      );
      for (const [ids, message] of [
        [sync, 'thrown in a handler'],
        [async_, 'thrown in an async handler'],
      ] as const) {
        const error = errors.find(
          (e) => e.kind === 'error' && e.data.transaction_id === ids.transactionId,
        )?.data;
        expect(error).toMatchObject({
          trace_id: ids.traceId,
          parent_id: ids.transactionId,
          exception: { message, handled: false },
        });
        expect(await transactionById(ids.transactionId)).toMatchObject({
          result: 'HTTP 5xx',
          outcome: 'failure',
        });
      }
      expect(b.output()).toContain('kept running after: thrown in a handler');
    });

    it('interop: elastic-apm-node as B continues our trace', async () => {
      const [a, b] = await Promise.all([
        start(node, 'weaver-service.mjs', 'weaver-a-interop'),
        start(node, 'elastic-service.cjs', 'elastic-b'),
      ]);
      for (const via of httpPropagates ? (['fetch', 'http'] as const) : (['fetch'] as const)) {
        const result = await call(a, b, via);
        expectContinued(result);
        expect(result.callee).toMatchObject({ type: 'request' });
      }
    });

    it('interop: elastic-apm-node as A starts a trace our B continues (http and fetch)', async () => {
      const [a, b] = await Promise.all([
        start(node, 'elastic-service.cjs', 'elastic-a'),
        start(node, 'weaver-service.mjs', 'weaver-b-interop'),
      ]);
      for (const via of ['http', 'fetch'] as const) {
        const result = await call(a, b, via);
        expectContinued(result);
        expect(result.callee).toMatchObject({ type: 'request', name: 'GET unknown route' });
      }
    });
  });
}
