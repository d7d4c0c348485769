// The demo's --events file read back: what the intake received, independent of the waterfall code.
import { readFileSync } from 'node:fs';

export interface ReceivedEvent {
  kind: string;
  data: Record<string, unknown>;
}

export function readEvents(file: string): ReceivedEvent[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReceivedEvent);
}

export interface ExpectedRow {
  id: string;
  name: string;
  depth: number;
  /** Id of the row it hangs under, undefined for the root. */
  parent?: string;
  type: string;
  outcome: string;
  durationMs: number;
  timestampUs: number;
}

/** The rows a trace must show, worked out from the raw transaction and span events. */
export function rowsFromEvents(events: ReceivedEvent[], traceId: string): ExpectedRow[] {
  const items = events.filter(
    (event) => (event.kind === 'transaction' || event.kind === 'span') && event.data.trace_id === traceId,
  );
  const byId = new Map(items.map((event) => [event.data.id as string, event]));
  const parentOf = (event: ReceivedEvent): string | undefined => {
    const parent = event.data.parent_id as string | undefined;
    return parent !== undefined && byId.has(parent) ? parent : undefined;
  };
  const depthOf = (event: ReceivedEvent): number => {
    const parent = parentOf(event);
    return parent === undefined ? 0 : depthOf(byId.get(parent)!) + 1;
  };
  return items.map((event) => ({
    id: event.data.id as string,
    name: event.data.name as string,
    depth: depthOf(event),
    parent: parentOf(event),
    type: [event.data.type, event.data.subtype, event.data.action].filter(Boolean).join('.'),
    outcome: event.data.outcome as string,
    durationMs: event.data.duration as number,
    timestampUs: event.data.timestamp as number,
  }));
}

/** `Type: message` of every error event in the trace. */
export function errorsFromEvents(events: ReceivedEvent[], traceId: string): string[] {
  return events
    .filter((event) => event.kind === 'error' && event.data.trace_id === traceId)
    .map((event) => {
      const exception = event.data.exception as { type?: string; message?: string };
      return `${exception.type}: ${exception.message}`;
    });
}
