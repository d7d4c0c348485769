// TLS: a self-signed certificate is refused by default, accepted with verifyServerCert: false or
// with the certificate given as serverCaCertFile.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../../runtime/transport/index.js';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { recordingLogger, span, testConfig } from './transport-fixtures.js';

let dir: string;
let certFile: string;
let intake: LocalIntake;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'apm-weaver-tls-'));
  certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  // biome-ignore format: openssl flags read best in pairs
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  intake = await startLocalIntake({ tls: { key: readFileSync(keyFile), cert: readFileSync(certFile) } });
});
afterAll(async () => {
  await intake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('TLS with a self-signed certificate', () => {
  it('is refused by default: logged, events failed, nothing thrown', async () => {
    const logger = recordingLogger();
    const transport = createHttpTransport(testConfig({ serverUrl: intake.url }), logger, {
      backoffUnitMs: 5,
    });
    expect(intake.url).toMatch(/^https:/);
    transport.send('span', span(1));
    await transport.flush();
    await transport.close();
    expect(transport.stats).toMatchObject({ queued: 1, failed: 1, sent: 0 });
    expect(logger.lines[0]?.message).toMatch(/self[- ]signed certificate/);
    expect(intake.stats.requests).toBe(0);
  });

  it('is accepted with verifyServerCert: false', async () => {
    const before = intake.stats.accepted;
    const transport = createHttpTransport(
      testConfig({ serverUrl: intake.url, verifyServerCert: false }),
      recordingLogger(),
    );
    transport.send('span', span(2));
    await transport.close();
    expect(transport.stats).toMatchObject({ sent: 1, failed: 0 });
    expect(intake.stats.accepted - before).toBe(1);
  });

  it('is accepted when the certificate is the serverCaCertFile', async () => {
    const before = intake.stats.accepted;
    const logger = recordingLogger();
    const transport = createHttpTransport(
      testConfig({ serverUrl: intake.url, serverCaCertFile: certFile }),
      logger,
    );
    transport.send('span', span(3));
    await transport.close();
    expect(transport.stats).toMatchObject({ sent: 1, failed: 0 });
    expect(intake.stats.accepted - before).toBe(1);
    expect(logger.lines).toEqual([]);
  });

  it('logs an unreadable serverCaCertFile and still verifies (so refuses)', async () => {
    const logger = recordingLogger();
    const transport = createHttpTransport(
      testConfig({ serverUrl: intake.url, serverCaCertFile: join(dir, 'missing.pem') }),
      logger,
    );
    transport.send('span', span(4));
    await transport.close();
    expect(logger.lines[0]?.message).toMatch(/cannot read serverCaCertFile/);
    expect(transport.stats).toMatchObject({ sent: 0, failed: 1 });
  });
});
