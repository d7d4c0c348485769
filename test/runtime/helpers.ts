// Test helpers for the runtime: a fresh Client on a MemoryTransport with a recording logger, a context of its own
// per test, and schema validation of everything it reported.
import { expect } from 'vitest';
import { runWithin } from '../../runtime/context.js';
import { Client, type ClientOptions, MemoryTransport } from '../../runtime/index.js';
import { assertValidIntake } from '../helpers/intake-schema.js';

export interface TestClient {
  client: Client;
  transport: MemoryTransport;
  warnings: string[];
  debug: string[];
}

/** A new client (it becomes getClient()) whose events land in memory and whose warnings are kept. */
export function testClient(config: ClientOptions = {}, defaults?: ClientOptions): TestClient {
  const transport = new MemoryTransport();
  const warnings: string[] = [];
  const debug: string[] = [];
  const logger = {
    error: (m: string) => warnings.push(m),
    warn: (m: string) => warnings.push(m),
    info: () => {},
    debug: (m: string) => debug.push(m),
  };
  const client = new Client({ serviceName: 'runtime-tests', ...config, transport, logger }, defaults);
  return { client, transport, warnings, debug };
}

/** Runs `fn` in an async context of its own, so begin/endTransaction never leak between tests. */
export const isolated = <T>(fn: () => T): T => runWithin(undefined, fn);

/** Every event reported so far is valid intake v2; returns how many were checked. */
export function expectAllValid(transport: MemoryTransport): number {
  for (const { kind, event } of transport.events) {
    // Round-trip through JSON: that is what reaches the server (undefined fields disappear).
    assertValidIntake(kind, JSON.parse(JSON.stringify(event)));
  }
  expect(transport.events.length).toBeGreaterThan(0);
  return transport.events.length;
}

export const HEX16 = /^[0-9a-f]{16}$/;
export const HEX32 = /^[0-9a-f]{32}$/;

/** Events as the tests read them: nested intake fields, accessed freely. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary event JSON
export type Json = any;
