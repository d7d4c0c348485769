// Reads a spec example NDJSON file into the events the intake would deliver (metadata line first,
// unparseable lines skipped).
import { readFileSync } from 'node:fs';
import type { TraceEventInput } from '../../server/waterfall/index.js';
import { specPath } from '../helpers/spec.js';

export function specExampleEvents(file: string, receivedAt = Date.now()): TraceEventInput[] {
  const lines = readFileSync(specPath('intake-v2', 'examples', file), 'utf8').split('\n');
  let metadata: Record<string, unknown> = {};
  const events: TraceEventInput[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    let parsed: Record<string, Record<string, unknown>>;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue; // some examples hold deliberately broken lines; the intake refuses those
    }
    const [kind, data] = Object.entries(parsed)[0] ?? [];
    if (!kind || !data) continue;
    if (kind === 'metadata') metadata = data;
    else events.push({ kind, data, metadata, receivedAt });
  }
  return events;
}
