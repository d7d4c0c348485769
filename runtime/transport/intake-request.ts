// One streaming intake request: a gzip stream piped into a chunked POST. The sender writes
// NDJSON into it while it is open and ends it on time, size, flush or an error event.
// In the transport worker writes are instead compressed right there, as gzip members (gzip-members.ts): that thread
// is ours to block, and it saves the stream machinery and a round trip to the thread pool per write.
// Every failure (refused, reset, TLS, timeout, non-2xx) ends in exactly one onDone call; nothing throws.
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Gzip } from 'node:zlib';
import { nodeZlib } from '../lazy-builtins.js';
import type { IntakeEndpoint } from './endpoint.js';
import { GzipMembers } from './gzip-members.js';
import { describeRejection } from './server-reply.js';

export type RequestOutcome =
  | { ok: true; status: number }
  | {
      ok: false;
      reason: string;
      status?: number;
      /** False when the connection never opened: no event was handed to this request. */
      connected: boolean;
    };

export interface IntakeRequestHooks {
  /** The connection is open (TLS included): events may be written now. */
  onReady(): void;
  /** The body buffer drained after write() returned false. */
  onWritable(): void;
  onDone(outcome: RequestOutcome): void;
}

const MAX_REPLY_BYTES = 64 * 1024;
const GZIP_CHUNK_BYTES = 64 * 1024;

export class IntakeRequest {
  ready = false;
  ended = false;
  finished = false;
  /** Events taken from the queue for this request. */
  eventCount = 0;
  /** Of those, events that could not be encoded (counted failed whatever the answer). */
  skipped = 0;
  /** Uncompressed bytes written, metadata included. */
  bytes = 0;
  /** The gzip stream the body goes through, or the members it is compressed into in place. */
  private readonly gzip: Gzip | undefined;
  private readonly members: GzipMembers | undefined;
  private readonly req: ClientRequest;
  private replyTimer: NodeJS.Timeout | undefined;

  constructor(
    endpoint: IntakeEndpoint,
    headers: Record<string, string>,
    private readonly serverTimeoutMs: number,
    private readonly hooks: IntakeRequestHooks,
    /** Compress each write synchronously, on this thread (the transport worker), instead of in the thread pool. */
    compressInPlace = false,
  ) {
    // Errors are handled through the 'error' listeners below, never thrown.
    this.req = endpoint.request(headers);
    if (compressInPlace) {
      this.gzip = undefined;
      this.members = new GzipMembers(
        (member) => this.req.write(member),
        (reason) => this.fail(reason),
      );
      this.req.on('drain', () => this.hooks.onWritable());
    } else {
      const zlib = nodeZlib();
      // Every output chunk is a callback from the thread pool and a socket write: 64 KiB instead of the default
      // 16 makes four times fewer.
      const gzip = zlib.createGzip({ level: zlib.constants.Z_BEST_SPEED, chunkSize: GZIP_CHUNK_BYTES });
      gzip.on('error', (error) => this.fail(`compression failed: ${error.message}`));
      gzip.on('drain', () => this.hooks.onWritable());
      gzip.pipe(this.req);
      this.gzip = gzip;
      this.members = undefined;
    }
    this.req.on('error', (error) => this.fail(describeSocketError(error)));
    this.req.on('socket', (socket) => this.onSocket(socket));
    this.req.on('response', (res) => this.onResponse(res));
  }

  /** Writes encoded lines; false means wait for onWritable. */
  write(chunk: Buffer): boolean {
    if (this.ended || this.finished) return false;
    this.bytes += chunk.length;
    if (this.gzip !== undefined) return this.gzip.write(chunk);
    return (this.members as GzipMembers).write(chunk, this.bytes === chunk.length);
  }

  /** True while lines written in place wait to be compressed: their buffer must not change yet. */
  get holdsLines(): boolean {
    return this.members?.holding === true;
  }

  /** Ends the body; the outcome follows when the server answers or serverTimeout passes. */
  end(): void {
    if (this.ended || this.finished) return;
    this.ended = true;
    if (this.gzip !== undefined) {
      this.gzip.end();
    } else {
      this.members?.flush();
      this.req.end();
    }
    this.replyTimer = setTimeout(() => {
      this.req.destroy(new Error(`APM Server did not answer within ${this.serverTimeoutMs} ms`));
    }, this.serverTimeoutMs);
    this.replyTimer.unref();
  }

  /** Gives up on this request (used when the transport is torn down). */
  abort(reason: string): void {
    this.fail(reason);
  }

  private onSocket(socket: Socket): void {
    // An idle agent must never keep the process alive; beforeExit flushing takes care of the rest.
    socket.unref();
    if (!socket.connecting) {
      this.markReady();
      return;
    }
    // `encrypted` marks a TLSSocket; testing it spares loading node:tls for a plain http server.
    const secure = (socket as Partial<TLSSocket>).encrypted === true;
    socket.once(secure ? 'secureConnect' : 'connect', () => this.markReady());
  }

  private markReady(): void {
    if (this.ready || this.finished) return;
    this.ready = true;
    this.hooks.onReady();
  }

  private onResponse(res: IncomingMessage): void {
    const status = res.statusCode ?? 0;
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      if (size < MAX_REPLY_BYTES) chunks.push(chunk);
      size += chunk.length;
    });
    res.on('error', (error) => this.fail(describeSocketError(error)));
    res.on('end', () => {
      if (status >= 200 && status < 300) return this.finish({ ok: true, status });
      const body = Buffer.concat(chunks).toString('utf8').slice(0, MAX_REPLY_BYTES);
      this.fail(describeRejection(status, body), status);
    });
    // An early answer (401, 503, …) while we still stream: stop writing, the rest is lost anyway.
    if (!this.ended) {
      this.ended = true;
      this.members?.drop();
      this.gzip?.unpipe(this.req);
      this.gzip?.destroy();
      this.req.end();
    }
  }

  private fail(reason: string, status?: number): void {
    if (this.finished) return;
    const outcome: RequestOutcome = { ok: false, reason, connected: this.ready };
    if (status !== undefined) outcome.status = status;
    this.members?.drop();
    this.finish(outcome);
    this.req.destroy();
    this.gzip?.destroy();
  }

  private finish(outcome: RequestOutcome): void {
    if (this.finished) return;
    this.finished = true;
    if (this.replyTimer) clearTimeout(this.replyTimer);
    this.hooks.onDone(outcome);
  }
}

function describeSocketError(error: NodeJS.ErrnoException): string {
  const code = error.code && !error.message.includes(error.code) ? `${error.code} ` : '';
  return `${code}${error.message}`;
}
