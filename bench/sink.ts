// A minimal APM Server stand-in, run in its own process so its CPU time is not charged to the agent under test:
// answers GET / (agents read the server version there), takes intake posts (gzip or not), counts the NDJSON
// lines it received and answers 202. GET /stats returns the counts, so a run can prove its events arrived.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGunzip } from 'node:zlib';

export interface SinkStats {
  requests: number;
  lines: number;
  compressedBytes: number;
}

const stats: SinkStats = { requests: 0, lines: 0, compressedBytes: 0 };
const NEWLINE = 10;

function countLines(req: IncomingMessage, done: () => void): void {
  req.on('data', (chunk: Buffer) => {
    stats.compressedBytes += chunk.length;
  });
  const body = req.headers['content-encoding'] === 'gzip' ? req.pipe(createGunzip()) : req;
  body.on('data', (chunk: Buffer) => {
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) stats.lines++;
  });
  body.on('end', done);
  body.on('error', done);
}

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    const body = req.url === '/stats' ? stats : { version: '8.15.0', build_date: '2024-01-01T00:00:00Z' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return;
  }
  stats.requests++;
  countLines(req, () => res.writeHead(202).end());
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
// Dies with its parent.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
