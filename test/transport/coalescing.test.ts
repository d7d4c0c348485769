// Events that trickle in (one per event-loop turn, as spans ending across requests do) are gathered into
// larger gzip writes: each write costs far more main-thread time than encoding an event (bench/).
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHttpTransport } from '../../runtime/transport/index.js';
import { IntakeRequest } from '../../runtime/transport/intake-request.js';
import type { Transport } from '../../runtime/transport/transport.js';
import { type LocalIntake, startLocalIntake } from '../helpers/local-intake.js';
import { recordingLogger, span, testConfig } from './transport-fixtures.js';

let intake: LocalIntake;
let transport: Transport | undefined;

beforeEach(async () => {
  intake = await startLocalIntake();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await transport?.close();
  transport = undefined;
  await intake.close();
});

/** Until the intake has seen a request start (the transport's request is then open and ready). */
async function requestOpened(): Promise<void> {
  for (let i = 0; i < 500 && intake.requests().length === 0; i++) await sleep(10);
  expect(intake.requests().length).toBeGreaterThan(0);
}

describe('coalescing writes', () => {
  it('gathers events sent one per turn into a few writes, and delivers them all on flush', async () => {
    const writes = vi.spyOn(IntakeRequest.prototype, 'write');
    transport = createHttpTransport(
      testConfig({ serverUrl: intake.url, apiRequestTime: 60_000 }),
      recordingLogger(),
    );
    transport.send('span', span(0));
    // Let the request open, so the events below find it ready.
    await requestOpened();
    for (let i = 1; i < 200; i++) {
      transport.send('span', span(i));
      await nextTurn();
    }
    await transport.flush();
    expect(intake.dataOf('span').map((s) => s.name)).toEqual(
      Array.from({ length: 200 }, (_, i) => span(i).name),
    );
    // The metadata line plus a handful of event writes, not one write per turn.
    expect(writes.mock.calls.length).toBeLessThan(20);
  });

  it('writes a lone event within the coalescing delay, without a flush', async () => {
    transport = createHttpTransport(
      testConfig({ serverUrl: intake.url, apiRequestTime: 200 }),
      recordingLogger(),
    );
    transport.send('span', span(1));
    await intake.waitForKind('span', 1);
    transport.send('span', span(2));
    const [, second] = await intake.waitForKind('span', 2);
    expect(second?.data.name).toBe(span(2).name);
  });

  it('an error still leaves promptly while spans wait to be gathered', async () => {
    transport = createHttpTransport(
      testConfig({ serverUrl: intake.url, apiRequestTime: 60_000 }),
      recordingLogger(),
    );
    transport.send('span', span(1));
    await requestOpened();
    transport.send('span', span(2));
    transport.send('error', {
      id: 'abcdef0123456789abcdef0123456789',
      timestamp: 1,
      log: { message: 'boom' },
    });
    const [error] = await intake.waitForKind('error', 1);
    expect(error?.data.id).toBe('abcdef0123456789abcdef0123456789');
    expect(intake.dataOf('span')).toHaveLength(2);
  });
});
