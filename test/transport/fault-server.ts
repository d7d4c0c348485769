// A deliberately misbehaving intake for the fault matrix: it answers as told (503, 400, 401,
// never, a reset mid-body), and in "ok" mode reads intake v2 properly so recovery can be checked.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export type FaultMode =
  | { kind: 'ok'; answerAfterMs?: number }
  | { kind: 'status'; status: number; body: string } // `{authorization}` in body echoes the header
  | { kind: 'silent' } // reads the body, never answers
  | { kind: 'reset' }; // destroys the connection when the first body bytes arrive

export interface FaultServer {
  url: string;
  port: number;
  mode: FaultMode;
  /** Event lines received in "ok" mode, as parsed objects (metadata lines left out). */
  received: Record<string, unknown>[];
  /** Requests seen, in any mode. */
  requests: number;
  /** The most requests that were open at the same time. */
  maxConcurrent: number;
  close(): Promise<void>;
}

export async function startFaultServer(mode: FaultMode): Promise<FaultServer> {
  const state = { mode, received: [] as Record<string, unknown>[], requests: 0, maxConcurrent: 0 };
  let concurrent = 0;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    state.requests++;
    concurrent++;
    state.maxConcurrent = Math.max(state.maxConcurrent, concurrent);
    res.on('close', () => concurrent--);
    const current = state.mode;
    if (current.kind === 'reset') {
      req.once('data', () => req.socket.destroy());
      return;
    }
    if (current.kind === 'status') {
      const body = current.body.replace('{authorization}', req.headers.authorization ?? '');
      res.writeHead(current.status, { 'Content-Type': 'application/json' }).end(body);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (current.kind === 'silent') return;
      const lines = gunzipSync(Buffer.concat(chunks)).toString('utf8').split('\n').filter(Boolean);
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      if (!parsed[0] || !('metadata' in parsed[0])) {
        res.writeHead(400).end('{"errors":[{"message":"metadata first"}]}');
        return;
      }
      state.received.push(...parsed.slice(1));
      setTimeout(() => res.writeHead(202).end(), current.kind === 'ok' ? (current.answerAfterMs ?? 0) : 0);
    });
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

/** A loopback port with nothing listening on it (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls until the check holds (the transport works on its own timers); fails after timeoutMs. */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
