// The local intake against APM Server's own test payloads: valid streams accepted line for line,
// invalid ones rejected with APM Server's answer shape.
import { readdirSync, readFileSync } from 'node:fs';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntakeServer, startIntakeServer } from '../../server/intake-server.js';
import { specPath } from '../helpers/spec.js';
import { post } from './post.js';

const examplesDir = specPath('intake-v2', 'examples');
// Each invalid example with the reason the intake must give.
const invalidReasons: Record<string, RegExp> = {
  'invalid-event.ndjson': /^validation error: transaction\/id/,
  'invalid-event-type.ndjson': /did not recognize object type: 'tennis-court'/,
  'invalid-json-event.ndjson': /invalid JSON/,
  'invalid-json-metadata.ndjson': /invalid JSON/,
  'invalid-metadata.ndjson': /^validation error: metadata.*'service'/,
  'invalid-metadata-2.ndjson': /did not recognize object type: 'not'/,
};
const invalid = new Set(Object.keys(invalidReasons));
const files = readdirSync(examplesDir).filter((f) => f.endsWith('.ndjson'));

function nonEmptyLines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

describe('local intake vs intake-v2/examples', () => {
  let server: IntakeServer;
  beforeAll(async () => {
    server = await startIntakeServer({ maxEvents: 5000 });
  });
  afterAll(() => server.close());

  it('knows every example file', () => {
    expect(files.length).toBeGreaterThanOrEqual(29);
    for (const name of invalid) expect(files).toContain(name);
  });

  for (const name of files.filter((f) => !invalid.has(f))) {
    it(`accepts ${name}`, async () => {
      const text = readFileSync(`${examplesDir}/${name}`, 'utf8');
      const lines = nonEmptyLines(text);
      const reply = await post(server.url, gzipSync(text), { 'Content-Encoding': 'gzip' });
      if (name === 'metricsets.ndjson') {
        // Upstream quirk (spec README): line 7 ends with a stray backtick, so exactly that line fails.
        expect(reply.status).toBe(400);
        const body = JSON.parse(reply.body) as { accepted: number; errors: { message: string }[] };
        expect(body.errors).toHaveLength(1);
        expect(body.errors[0]?.message).toMatch(/invalid JSON/);
        expect(body.accepted).toBe(lines.length - 2);
        return;
      }
      expect(reply, reply.body).toEqual({ status: 202, body: '' });
      const metadataLines = lines.filter((l) => l.startsWith('{"metadata"')).length;
      const last = server.requests().at(-1);
      expect(last?.accepted).toBe(lines.length - metadataLines);
      expect(last?.lines[0]).toBe('metadata');
    });
  }

  for (const name of invalid) {
    it(`rejects ${name}`, async () => {
      const text = readFileSync(`${examplesDir}/${name}`, 'utf8');
      const reply = await post(server.url, text);
      expect(reply.status).toBe(400);
      const body = JSON.parse(reply.body) as {
        accepted: number;
        errors: { message: string; document?: string }[];
      };
      expect(body.errors.length).toBeGreaterThan(0);
      expect(typeof body.accepted).toBe('number');
      expect(body.errors[0]?.message).toMatch(invalidReasons[name] as RegExp);
      expect(body.errors[0]?.document).toBeTypeOf('string');
    });
  }

  it('reads deflate and identity bodies as well as gzip', async () => {
    const text = readFileSync(`${examplesDir}/events.ndjson`, 'utf8');
    const count = nonEmptyLines(text).length - 1;
    const before = server.stats.accepted;
    expect((await post(server.url, deflateSync(text), { 'Content-Encoding': 'deflate' })).status).toBe(202);
    expect((await post(server.url, text)).status).toBe(202);
    expect(server.stats.accepted - before).toBe(2 * count);
  });

  it('keeps the accepted events with the metadata of their request', async () => {
    const text = readFileSync(`${examplesDir}/events.ndjson`, 'utf8');
    const seen: string[] = [];
    const unsubscribe = server.subscribe((e) => seen.push(e.kind));
    await post(server.url, text);
    unsubscribe();
    const kindsInFile = nonEmptyLines(text)
      .slice(1)
      .map((l) => Object.keys(JSON.parse(l) as object)[0]);
    expect(seen).toEqual(kindsInFile);
    expect(new Set(seen)).toEqual(new Set(['transaction', 'span', 'error', 'metricset']));
    const last = server.events().at(-1);
    expect((last?.metadata.service as { name?: string } | undefined)?.name).toBeTypeOf('string');
  });
});
