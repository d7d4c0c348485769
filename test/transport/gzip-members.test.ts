// Gzip members made on the sending thread (runtime/transport/gzip-members.ts, the transport worker's body): lines
// are held until they add up, for a moment, or until the request ends; lines side by side in one buffer become one
// member; whatever the grouping, the members read back as the bytes written, in order.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GzipMembers, HOLD_BYTES, HOLD_MS } from '../../runtime/transport/gzip-members.js';

function collector() {
  const members: Buffer[] = [];
  const failures: string[] = [];
  const gzip = new GzipMembers(
    (member) => members.push(member) > 0,
    (reason) => failures.push(reason),
  );
  return { members, failures, gzip, text: () => gunzipSync(Buffer.concat(members)).toString('utf8') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('gzip members', () => {
  it('holds the first write with the rest, sends it first, and makes lines side by side one member', () => {
    // Nothing goes before the flush: the request's headers, metadata and lines then leave in one socket write.
    const { members, gzip, text } = collector();
    const output = Buffer.from('line 1\nline 2\nline 3\nline 4\n');
    gzip.write(Buffer.from('metadata\n'), true);
    expect(members).toHaveLength(0);
    gzip.write(output.subarray(0, 7), false);
    gzip.write(output.subarray(7, 14), false);
    gzip.write(Buffer.from('elsewhere\n'), false);
    gzip.write(output.subarray(21, 28), false); // not next to the one before it
    expect(gzip.holding).toBe(true);
    expect(members).toHaveLength(0);
    expect(gzip.flush()).toBe(true);
    expect(gzip.holding).toBe(false);
    // metadata; lines 1-2 as one; elsewhere; line 4
    expect(members.map((m) => gunzipSync(m).toString('utf8'))).toEqual([
      'metadata\n',
      'line 1\nline 2\n',
      'elsewhere\n',
      'line 4\n',
    ]);
    expect(text()).toBe('metadata\nline 1\nline 2\nelsewhere\nline 4\n');
  });

  it('sends once the held lines reach HOLD_BYTES, and answers with the socket', () => {
    const members: Buffer[] = [];
    const gzip = new GzipMembers(
      (member) => {
        members.push(member);
        return false; // the socket wants a pause
      },
      () => {},
    );
    const big = Buffer.alloc(HOLD_BYTES, 'x');
    expect(gzip.write(big.subarray(0, HOLD_BYTES / 2), false)).toBe(true);
    expect(members).toHaveLength(0);
    expect(gzip.write(big.subarray(HOLD_BYTES / 2), false)).toBe(false);
    expect(members).toHaveLength(1);
    expect(gunzipSync(members[0] as Buffer).equals(big)).toBe(true);
    gzip.drop();
  });

  it('sends held lines after HOLD_MS without another write; dropped lines never go', async () => {
    const sent = collector();
    sent.gzip.write(Buffer.from('lone line\n'), false);
    for (let i = 0; i < 500 && sent.members.length === 0; i++) await sleep(HOLD_MS);
    expect(sent.text()).toBe('lone line\n');
    const dropped = collector();
    dropped.gzip.write(Buffer.from('metadata\n'), true);
    dropped.gzip.write(Buffer.from('never sent\n'), false);
    dropped.gzip.drop();
    expect(dropped.gzip.holding).toBe(false);
    await sleep(HOLD_MS * 5);
    expect(dropped.members).toHaveLength(0);
  });
});
