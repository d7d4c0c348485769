// Shared pieces of the transport tests: a complete AgentConfig from the real resolver, a recording logger, and valid
// client-shaped events taken from APM Server's own example payload.
import { readFileSync } from 'node:fs';
import { resolveConfig } from '../../runtime/config.js';
import type { AgentConfig, Logger } from '../../runtime/config-types.js';
import type { EventKind } from '../../runtime/transport/transport.js';
import { specPath } from '../helpers/spec.js';

/** The resolver's own defaults (environment variables left out), named for the tests, then `overrides` as given. */
export function testConfig(overrides: Partial<AgentConfig> = {}): AgentConfig {
  const { config, warnings } = resolveConfig(
    { serviceName: 'transport-test', serviceVersion: '1.2.3', environment: 'test', sanitizeFieldNames: [] },
    undefined,
    {},
  );
  if (warnings.length > 0) throw new Error(`test configuration rejected: ${warnings.join('; ')}`);
  return { ...config, ...overrides };
}

export interface RecordingLogger extends Logger {
  lines: { level: string; message: string }[];
  text(): string;
}

export function recordingLogger(): RecordingLogger {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => {
    lines.push({ level, message });
  };
  return {
    lines,
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    text: () => lines.map((l) => `${l.level}: ${l.message}`).join('\n'),
  };
}

/** One valid event of each kind the runtime sends, from intake-v2/examples/events.ndjson. */
export function sampleEvents(): { kind: EventKind; event: Record<string, unknown> }[] {
  const text = readFileSync(specPath('intake-v2', 'examples', 'events.ndjson'), 'utf8');
  const out: { kind: EventKind; event: Record<string, unknown> }[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = JSON.parse(line) as Record<string, Record<string, unknown>>;
    const kind = Object.keys(parsed)[0] as EventKind | 'metadata';
    if (kind !== 'metadata') out.push({ kind, event: parsed[kind] as Record<string, unknown> });
  }
  return out;
}

/** A small valid span with its own id, so tests can count and order deliveries. */
export function span(n: number): Record<string, unknown> {
  const id = n.toString(16).padStart(16, '0');
  return {
    id,
    trace_id: '0123456789abcdef0123456789abcdef',
    parent_id: 'abcdefabcdef0123',
    transaction_id: 'abcdefabcdef0123',
    name: `span ${n}`,
    type: 'app.internal',
    timestamp: 1_700_000_000_000_000 + n,
    duration: 1.5,
    outcome: 'success',
  };
}
