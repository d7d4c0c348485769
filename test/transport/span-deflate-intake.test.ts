// The transport worker's sending half in-process, as apm-weaver-transport-worker.ts sets it up (a RingDrain into an
// HttpTransport that compresses in place), with span pieces compressed by span-deflate.ts, to real servers on
// loopback: a raw server that keeps each request body (its gunzipped text must be byte for byte the lines written,
// its members mostly span-deflate's), and the repo's intake, which gunzips and validates every event. Requests cut
// by apiRequestSize in the middle of a run, runs mixed with transaction and error lines, and lines held past the
// 10 ms hold timer between drains.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntakeEndpoint, resolveEndpoint } from '../../runtime/transport/endpoint.js';
import { HOLD_MS } from '../../runtime/transport/gzip-members.js';
import { HttpTransport } from '../../runtime/transport/http-transport.js';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import {
  errorOf,
  expectedText,
  type FeedEvent,
  hex,
  RingFeed,
  random,
  randomSpans,
  spanMembersIn,
  transactionOf,
} from './span-deflate-fixtures.js';
import { recordingLogger, testConfig } from './transport-fixtures.js';

const metadata = { service: { name: 'span-deflate-test', agent: { name: 'apm-weaver', version: '0.0.0' } } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RawServer {
  url: string;
  /** Each request's body as it came (gzip members). */
  bodies: Buffer[];
  server: Server;
}

async function startRawServer(): Promise<RawServer> {
  const bodies: Buffer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, server };
}

/** The worker's HTTP half and drain over a fresh ring, sending to `serverUrl`. */
function workerHalf(serverUrl: string, apiRequestSize?: number) {
  const logger = recordingLogger();
  const config = testConfig({ serverUrl, apiRequestTime: 60_000, maxQueueSize: 100_000 });
  if (apiRequestSize !== undefined) config.apiRequestSize = apiRequestSize;
  const endpoint = resolveEndpoint(config, logger) as IntakeEndpoint;
  const http = new HttpTransport(config, logger, endpoint, {
    metadata,
    compressInPlace: true,
    backoffUnitMs: 5,
  });
  const feed = new RingFeed();
  const capacity = http.queueRoom;
  const drain = feed.drain(() => http.queueRoom === capacity && !http.holdsLines);
  /** Writes the events into the ring and moves them all into the HTTP transport. */
  const send = (events: readonly FeedEvent[]) => {
    feed.writeAll(events);
    expect(drain.drain(http)).toEqual({ taken: events.length, undecodable: 0 });
  };
  return { http, send, logger };
}

/**
 * The text of the bodies, metadata lines left out, in the order of `expected` (up to three requests are open at a
 * time: they may end in any order), each body's text found whole in it.
 */
function linesOf(bodies: readonly Buffer[], expected: string): string {
  const texts = bodies.map((body) =>
    gunzipSync(body)
      .toString('utf8')
      .replace(/^\{"metadata":.*\n/, ''),
  );
  for (const text of texts) expect(expected.includes(text)).toBe(true);
  return texts.sort((a, b) => expected.indexOf(a) - expected.indexOf(b)).join('');
}

/** Spans with a transaction line after every 500 and one error line. */
function mixedEvents(seed: number): FeedEvent[] {
  const next = random(seed);
  const events: FeedEvent[] = [];
  const spans = randomSpans(seed, 3000, true);
  spans.forEach((span, i) => {
    events.push(span);
    const stamp = 1_764_100_000_000_000 + i;
    if (i % 500 === 499)
      events.push({ kind: 'transaction', event: transactionOf(hex(next, 16), hex(next, 32), stamp) });
    if (i === 1234)
      events.push({ kind: 'error', event: errorOf(hex(next, 16), hex(next, 32), hex(next, 16), stamp) });
  });
  return events;
}

let raw: RawServer;
let intake: LocalIntake;

beforeAll(async () => {
  raw = await startRawServer();
  intake = await startLocalIntake();
});
afterAll(async () => {
  await new Promise((resolve) => raw.server.close(resolve));
  await intake.close();
});

describe('span-deflate through the HTTP transport', () => {
  it('sends byte for byte the lines written when requests end mid-run on apiRequestSize', async () => {
    raw.bodies.length = 0;
    const events = mixedEvents(21);
    const { http, send } = workerHalf(raw.url, 64 * 1024);
    send(events);
    await http.flush();
    await http.close();
    expect(http.stats).toEqual({ queued: events.length, dropped: 0, failed: 0, sent: events.length });
    expect(raw.bodies.length).toBeGreaterThan(8);
    expect(linesOf(raw.bodies, expectedText(events))).toBe(expectedText(events));
    // Pieces with the error line go to zlib; the rest are span-deflate's (each body: the metadata's member first).
    const spanMembers = raw.bodies.map(spanMembersIn);
    expect(spanMembers.filter((count) => count > 0).length).toBeGreaterThanOrEqual(raw.bodies.length - 2);
  });

  it('sends lines held past the hold timer, drained a little at a time', async () => {
    raw.bodies.length = 0;
    const events = randomSpans(22, 900, true);
    const { http, send } = workerHalf(raw.url);
    for (let at = 0; at < events.length; at += 300) {
      send(events.slice(at, at + 300));
      // The request holds the lines for HOLD_MS, then compresses them: the next ones make a member of their own.
      await sleep(4 * HOLD_MS);
    }
    await http.flush();
    await http.close();
    expect(linesOf(raw.bodies, expectedText(events))).toBe(expectedText(events));
    const members = raw.bodies.reduce((sum, body) => sum + spanMembersIn(body), 0);
    expect(members).toBeGreaterThanOrEqual(3);
  });

  it('delivers events the intake accepts as valid', async () => {
    const before = intake.events().length;
    const events = mixedEvents(23);
    const { http, send, logger } = workerHalf(intake.url, 128 * 1024);
    send(events);
    await http.flush();
    await http.close();
    expect(logger.lines.filter((line) => line.level !== 'debug')).toEqual([]);
    expect(http.stats).toEqual({ queued: events.length, dropped: 0, failed: 0, sent: events.length });
    // Requests may arrive in any order (up to three are open): every event once, each request's in order.
    const idOf = (data: unknown) => `${(data as { id?: string }).id}`;
    const arrived = intake.events().slice(before);
    expect(arrived.map((event) => idOf(event.data)).sort()).toEqual(
      events.map((event) => idOf(event.event)).sort(),
    );
    expect(arrived.filter((event) => event.kind === 'error')).toHaveLength(1);
    expect(arrived.filter((event) => event.kind === 'transaction')).toHaveLength(6);
  });
});
