// A Node without zlib.crc32 (before 20.15 / 22.2): span-deflate.ts cannot write a gzip trailer, and the worker's
// span pieces go through zlib as before. Its own file: the encoder is chosen once per process, on the first piece.

import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spanDeflateAvailable } from '../../runtime/transport/span-deflate.js';
import {
  collectingGzip,
  drainRuns,
  piece,
  RingFeed,
  randomSpans,
  spanMembersIn,
} from './span-deflate-fixtures.js';

const zlib = process.getBuiltinModule('node:zlib') as { crc32: unknown };
const crc32 = zlib.crc32;

beforeAll(() => {
  zlib.crc32 = undefined;
});
afterAll(() => {
  zlib.crc32 = crc32;
});

describe('span-deflate without zlib.crc32', () => {
  it('leaves span pieces to zlib', () => {
    expect(spanDeflateAvailable()).toBe(false);
    const feed = new RingFeed();
    feed.writeAll(randomSpans(8, 500));
    const [run] = drainRuns(feed.drain());
    const bytes = piece(run as NonNullable<typeof run>);
    const { gzip, body: bodyOf } = collectingGzip();
    gzip.write(bytes, false);
    gzip.flush();
    const body = bodyOf();
    expect(spanMembersIn(body)).toBe(0);
    expect(gunzipSync(body).equals(bytes)).toBe(true);
    expect(body.length).toBeLessThan(bytes.length / 4);
  });
});
