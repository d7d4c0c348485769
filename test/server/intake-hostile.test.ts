// The intake under bad and hostile input: it answers (400/401), keeps its memory bounded, and
// stays up for the next client.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntakeServer, startIntakeServer } from '../../server/intake-server.js';
import { post } from './post.js';

const metadata = JSON.stringify({
  metadata: { service: { name: 'hostile', agent: { name: 'test', version: '1' } } },
});
const span = (n: number) =>
  JSON.stringify({
    span: {
      id: n.toString(16).padStart(16, '0'),
      trace_id: '0123456789abcdef0123456789abcdef',
      parent_id: 'abcdefabcdef0123',
      name: `s${n}`,
      type: 'app',
      timestamp: 1,
      duration: 1,
    },
  });

let server: IntakeServer;
beforeAll(async () => {
  server = await startIntakeServer({ maxEvents: 100, maxEventSize: 1024, secretToken: 'tok' });
});
afterAll(() => server.close());

const auth = { Authorization: 'Bearer tok' };

async function stillServes(): Promise<void> {
  const reply = await post(server.url, `${metadata}\n${span(1)}\n`, auth);
  expect(reply.status).toBe(202);
}

describe('intake under hostile input', () => {
  it('401 without or with wrong credentials', async () => {
    expect((await post(server.url, `${metadata}\n`)).status).toBe(401);
    expect((await post(server.url, `${metadata}\n`, { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post(server.url, `${metadata}\n`, { Authorization: 'ApiKey tok' })).status).toBe(401);
    await stillServes();
  });

  it('400 for a wrong content type, an unknown encoding, a non-POST method', async () => {
    const wrongType = await post(server.url, `${metadata}\n`, {
      ...auth,
      'Content-Type': 'application/json',
    });
    expect(wrongType.status).toBe(400);
    expect(JSON.parse(wrongType.body).errors[0].message).toMatch(/content type/);
    const wrongEncoding = await post(server.url, `${metadata}\n`, { ...auth, 'Content-Encoding': 'br' });
    expect(wrongEncoding.status).toBe(400);
    const get = await fetch(`${server.url}/intake/v2/events`, { headers: auth });
    expect(get.status).toBe(400);
  });

  it('400 for a body that claims gzip but is not, and for random bytes', async () => {
    const badGzip = await post(server.url, randomBytes(4096), { ...auth, 'Content-Encoding': 'gzip' });
    expect(badGzip.status).toBe(400);
    expect(JSON.parse(badGzip.body).errors[0].message).toMatch(/data read error/);
    const noise = await post(server.url, randomBytes(64 * 1024), auth);
    expect(noise.status).toBe(400);
    await stillServes();
  });

  it('an empty body is an error (no metadata)', async () => {
    const reply = await post(server.url, '', auth);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).errors[0].message).toMatch(/metadata/);
  });

  it('skips an over-size line, reports it, and accepts the lines around it', async () => {
    const big = JSON.stringify({ span: { name: 'x'.repeat(5000) } });
    const body = `${metadata}\n${span(1)}\n${big}\n${span(2)}\n`;
    const reply = await post(server.url, gzipSync(body), { ...auth, 'Content-Encoding': 'gzip' });
    expect(reply.status).toBe(400);
    const parsed = JSON.parse(reply.body) as { accepted: number; errors: { message: string }[] };
    expect(parsed.accepted).toBe(2);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]?.message).toMatch(/exceeded the permitted size \(1024 bytes\), line 3/);
  });

  it('a highly compressible bomb of one endless line is read with bounded memory and rejected', async () => {
    // 64 MiB of one line, about 64 KiB compressed: only the line limit's worth is ever kept.
    const bomb = gzipSync(
      Buffer.concat([Buffer.from(`${metadata}\n`), Buffer.alloc(64 * 1024 * 1024, 0x61)]),
    );
    const reply = await post(server.url, bomb, { ...auth, 'Content-Encoding': 'gzip' });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).errors[0].message).toMatch(/exceeded the permitted size/);
    await stillServes();
  });

  it('keeps only the newest maxEvents events', async () => {
    const lines = [metadata, ...Array.from({ length: 250 }, (_, i) => span(i))].join('\n');
    expect((await post(server.url, lines, auth)).status).toBe(202);
    const events = server.events();
    expect(events).toHaveLength(100);
    expect(events.at(-1)?.data.name).toBe('s249');
    expect(events[0]?.data.name).toBe('s150');
  });

  it('survives a client that disconnects mid-body', async () => {
    const before = server.stats.requests;
    const ownRequests = () => server.requests().slice(before);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(
          'POST /intake/v2/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\n' +
            'Content-Type: application/x-ndjson\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n',
        );
        const partial = gzipSync(`${metadata}\n${span(1)}\n`).subarray(0, 30);
        socket.write(`${partial.length.toString(16)}\r\n`);
        socket.write(partial);
        socket.write('\r\n', () => setTimeout(() => socket.destroy(), 20));
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    // The abandoned request is finished (not left hanging) with a read error.
    for (let i = 0; i < 200 && ownRequests()[0]?.status !== 400; i++)
      await new Promise((r) => setTimeout(r, 5));
    const abandoned = ownRequests()[0];
    expect(abandoned?.errors[0]?.message).toMatch(
      /data read error: (the client closed the connection mid-body|aborted)/,
    );
    await stillServes();
    expect(server.stats.requests).toBeGreaterThan(before + 1);
  });

  it('answers garbage HTTP without falling over', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      socket.resume();
    });
    await stillServes();
  });

  it('serves server info on GET / and 404 elsewhere', async () => {
    const info = await fetch(`${server.url}/`);
    expect(info.status).toBe(200);
    expect(((await info.json()) as { version: string }).version).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });
});

describe('handleOther', () => {
  it('lets another handler serve paths outside the intake, on the same port', async () => {
    const other = await startIntakeServer({
      handleOther: (req, res) => {
        if (req.url !== '/page') return false;
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>page</p>');
        return true;
      },
    });
    try {
      expect(await (await fetch(`${other.url}/page`)).text()).toBe('<p>page</p>');
      expect((await fetch(`${other.url}/elsewhere`)).status).toBe(404);
      expect((await post(other.url, `${metadata}\n${span(1)}\n`)).status).toBe(202);
      const seen = await other.waitForEvents((events) => events.length === 1, 1000);
      expect(seen[0]?.kind).toBe('span');
      await expect(other.waitForEvents(() => false, 50)).rejects.toThrow(/1 span/);
    } finally {
      await other.close();
    }
  });
});
