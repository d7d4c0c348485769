// instrument() over TLS: node:https servers and clients (a throwaway self-signed certificate for
// 127.0.0.1, made with openssl as in test/transport/tls.test.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getTraceId, getTransactionId } from '../../runtime/index.js';
import { nodeHttpClientPropagates } from '../../runtime/instrument/http-client.js';
import { closeServer, expectAllValid, type Harness, send, startHarness, startServer } from './helpers.js';

let dir: string;
let tls: { key: Buffer; cert: Buffer };
let harness: Harness;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'apm-weaver-https-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'ignore' },
  );
  tls = { key: readFileSync(key), cert: readFileSync(cert) };
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
  rmSync(dir, { recursive: true, force: true });
});

function httpsGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, { ca: tls.cert }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

it('traces an https server and an https client call, with https URLs, destination and continued trace', async () => {
  const secure: Server = createServer(tls, (req, res) => {
    res.end(JSON.stringify({ tx: getTransactionId(), traceparent: req.headers.traceparent ?? null }));
  });
  await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
  const secureUrl = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
  const front = await startServer(async (_req, res) => {
    const callee = JSON.parse(await httpsGet(`${secureUrl}/secure?x=1`)) as {
      tx: string;
      traceparent: string | null;
    };
    res.end(JSON.stringify({ tx: getTransactionId(), trace: getTraceId(), callee }));
  });
  try {
    const reply = JSON.parse((await send(front.url)).body) as {
      tx: string;
      trace: string;
      callee: { tx: string; traceparent: string | null };
    };
    const [span] = await harness.intake.waitForKind('span', 1);
    await harness.intake.waitForKind('transaction', 2);
    const host = new URL(secureUrl).host;
    expect(span?.data).toMatchObject({
      name: `GET ${host}`,
      parent_id: reply.tx,
      context: {
        http: { url: `${secureUrl}/secure?x=1`, status_code: 200 },
        service: { target: { type: 'http', name: host } },
        destination: { service: { resource: host } },
      },
    });
    const inner = harness.intake.dataOf('transaction').find((t) => t.id === reply.callee.tx);
    expect(inner?.context).toMatchObject({
      request: { url: { protocol: 'https:', full: `${secureUrl}/secure?x=1`, pathname: '/secure' } },
    });
    if (nodeHttpClientPropagates()) {
      expect(inner).toMatchObject({ trace_id: reply.trace, parent_id: span?.data.id });
    } else {
      expect(reply.callee.traceparent).toBeNull();
    }
    expectAllValid(harness.intake);
  } finally {
    await Promise.all([closeServer(secure), closeServer(front.server)]);
  }
});
