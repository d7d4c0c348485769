// In-process harness for instrument(): a real local intake, a Client sending to it, and real
// node:http servers on loopback.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { Client, instrument } from '../../runtime/index.js';
import { assertValidIntake, type IntakeKind } from '../helpers/intake-schema.js';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';

export const HEX16 = /^[0-9a-f]{16}$/;
export const HEX32 = /^[0-9a-f]{32}$/;

export interface Harness {
  intake: LocalIntake;
  client: Client;
  close(): Promise<void>;
}

export async function startHarness(config: Record<string, unknown> = {}): Promise<Harness> {
  const intake = await startLocalIntake();
  const client = new Client(intake.clientConfig({ serviceName: 'instrument-test', ...config }));
  instrument();
  return {
    intake,
    client,
    close: async () => {
      await client.close();
      await intake.close();
    },
  };
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

export async function startServer(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * What an instrument() test file needs in each test: `start()` a harness, `serve()` handlers on loopback (returns
 * the URL). Everything started in a test is closed after it.
 */
export function perTestHarness(): {
  start(config?: Record<string, unknown>): Promise<Harness>;
  serve(handler: Handler): Promise<string>;
} {
  let harness: Harness | undefined;
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer));
    await harness?.close();
    harness = undefined;
  });
  return {
    async start(config) {
      harness = await startHarness(config);
      return harness;
    },
    async serve(handler) {
      const { server, url } = await startServer(handler);
      servers.push(server);
      return url;
    },
  };
}

export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A node:http request; `chunks` are written one by one with a short pause (a streamed body). */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; chunks?: string[] } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    const chunks = [...(options.chunks ?? [])];
    const writeNext = () => {
      const chunk = chunks.shift();
      if (chunk === undefined) req.end();
      else req.write(chunk, () => setTimeout(writeNext, 5));
    };
    writeNext();
  });
}

/** Every event the intake kept, checked against the intake v2 schemas. */
export function expectAllValid(intake: LocalIntake): void {
  for (const event of intake.events()) assertValidIntake(event.kind as IntakeKind, event.data);
}
