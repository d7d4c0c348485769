// A local intake for tests: a real server on a free loopback port, a Client config pointing at it,
// and waiting for events by kind. Close it in afterEach/afterAll.
import {
  type IntakeEvent,
  type IntakeServer,
  type IntakeServerOptions,
  startIntakeServer,
} from '../../server/intake-server.js';

export type { IntakeEvent, IntakeServer };

export type IntakeKind = IntakeEvent['kind'];

export interface LocalIntake extends IntakeServer {
  /** Config for `new Client(...)`: this intake's URL, a test service name, short request times. */
  clientConfig(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Waits until at least `count` events of `kind` arrived; resolves with just those. */
  waitForKind(kind: IntakeKind, count: number, timeoutMs?: number): Promise<IntakeEvent[]>;
  /** The data of every kept event of one kind. */
  dataOf(kind: IntakeKind): Record<string, unknown>[];
}

export async function startLocalIntake(options: IntakeServerOptions = {}): Promise<LocalIntake> {
  const server = await startIntakeServer({ port: 0, ...options });
  const ofKind = (events: IntakeEvent[], kind: IntakeKind) => events.filter((e) => e.kind === kind);
  return Object.assign(server, {
    clientConfig: (overrides: Record<string, unknown> = {}) => ({
      serverUrl: server.url,
      serviceName: 'apm-weaver-test',
      // Short requests so a test sees its events without an explicit flush taking 10 s.
      apiRequestTime: '200ms',
      ...overrides,
    }),
    waitForKind: async (kind: IntakeKind, count: number, timeoutMs = 5000) =>
      ofKind(await server.waitForEvents((events) => ofKind(events, kind).length >= count, timeoutMs), kind),
    dataOf: (kind: IntakeKind) => ofKind(server.events(), kind).map((e) => e.data),
  });
}
