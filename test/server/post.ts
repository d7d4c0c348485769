// A plain HTTP POST for intake tests, without any agent code in between.
import { request } from 'node:http';

export interface Reply {
  status: number;
  body: string;
}

export function post(
  url: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
  path = '/intake/v2/events',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
