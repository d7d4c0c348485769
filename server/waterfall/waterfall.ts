// Lays out one trace as a waterfall: rows in depth-first order with their nesting depth and their
// offset on the trace's time axis. The terminal renderer and the web page both draw from this, so
// they always agree.
import type { Trace, TraceError, TraceItem } from './model.js';

export interface WaterfallRow {
  id: string;
  kind: 'transaction' | 'span';
  name: string;
  type: string;
  outcome: string;
  result?: string;
  service: string;
  depth: number;
  /** Milliseconds from the start of the waterfall. */
  offsetMs: number;
  durationMs: number;
  /** The event named a parent that never arrived; the row hangs under its transaction or at the top. */
  parentMissing: boolean;
  errors: TraceError[];
}

export interface Waterfall {
  traceId: string;
  name: string;
  services: string[];
  /** Epoch microseconds of the earliest event. */
  startUs: number;
  durationMs: number;
  /** The root transaction's outcome ("unknown" without one). */
  outcome: string;
  /** A transaction whose parent is not in this trace has arrived. */
  hasRoot: boolean;
  rows: WaterfallRow[];
  /** Errors whose parent is not in this trace (or errors sent without a trace). */
  errors: TraceError[];
  transactionCount: number;
  spanCount: number;
  errorCount: number;
  droppedEvents: number;
  version: number;
  lastReceivedAt: number;
}

/** Where an item starts when nothing better is known: its timestamp, else arrival minus duration. */
function ownStartOf(item: TraceItem): number {
  return item.timestampUs ?? (item.receivedAt - item.durationMs) * 1000;
}

/** Start in epoch µs; a span without a timestamp counts its `start` from its transaction's start. */
function startOf(item: TraceItem, items: Map<string, TraceItem>): number {
  if (item.timestampUs !== undefined) return item.timestampUs;
  const transaction = item.transactionId ? items.get(item.transactionId) : undefined;
  if (item.relativeStartMs !== undefined && transaction?.kind === 'transaction' && transaction !== item) {
    return ownStartOf(transaction) + item.relativeStartMs * 1000;
  }
  return ownStartOf(item);
}

function minOf(values: Iterable<number>): number {
  let min = Number.POSITIVE_INFINITY;
  for (const value of values) if (value < min) min = value;
  return min;
}

function maxOf(values: Iterable<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) if (value > max) max = value;
  return max;
}

interface Placement {
  parent: string | undefined;
  parentMissing: boolean;
}

function placementOf(item: TraceItem, items: Map<string, TraceItem>): Placement {
  if (item.parentId && item.parentId !== item.id && items.has(item.parentId)) {
    return { parent: item.parentId, parentMissing: false };
  }
  const parentMissing = item.parentId !== undefined && item.kind === 'span';
  if (item.transactionId && item.transactionId !== item.id && items.has(item.transactionId)) {
    return { parent: item.transactionId, parentMissing };
  }
  // A transaction with an outside parent is a normal distributed-trace root, not a missing parent.
  return { parent: undefined, parentMissing };
}

export function buildWaterfall(trace: Trace): Waterfall {
  const { items } = trace;
  const starts = new Map<string, number>();
  for (const item of items.values()) starts.set(item.id, startOf(item, items));
  const byStart = (a: TraceItem, b: TraceItem) =>
    (starts.get(a.id) ?? 0) - (starts.get(b.id) ?? 0) || a.sequence - b.sequence;

  const placements = new Map<string, Placement>();
  const children = new Map<string | undefined, TraceItem[]>();
  for (const item of items.values()) {
    const placement = placementOf(item, items);
    placements.set(item.id, placement);
    const siblings = children.get(placement.parent) ?? [];
    siblings.push(item);
    children.set(placement.parent, siblings);
  }
  for (const siblings of children.values()) siblings.sort(byStart);

  const errorsByItem = new Map<string, TraceError[]>();
  const unattached: TraceError[] = [];
  for (const error of trace.errors) {
    const owner = [error.parentId, error.transactionId].find((id) => id !== undefined && items.has(id));
    if (owner === undefined) unattached.push(error);
    else if (errorsByItem.has(owner)) errorsByItem.get(owner)!.push(error);
    else errorsByItem.set(owner, [error]);
  }

  // Error timestamps only place a trace that has nothing else: an agent's clock for errors may differ.
  const traceStartUs =
    items.size > 0 ? minOf(starts.values()) : minOf(trace.errors.map((e) => e.timestampUs));
  const startUs = Number.isFinite(traceStartUs) ? traceStartUs : trace.firstReceivedAt * 1000;

  const rows: WaterfallRow[] = [];
  const visited = new Set<string>();
  // Iterative depth-first walk: hostile payloads can nest deeply or form parent cycles.
  const walk = (root: TraceItem) => {
    const stack: Array<{ item: TraceItem; depth: number }> = [{ item: root, depth: 0 }];
    while (stack.length > 0) {
      const { item, depth } = stack.pop()!;
      if (visited.has(item.id)) continue;
      visited.add(item.id);
      rows.push({
        id: item.id,
        kind: item.kind,
        name: item.name,
        type: item.type,
        outcome: item.outcome,
        result: item.result,
        service: item.service,
        depth,
        offsetMs: ((starts.get(item.id) ?? startUs) - startUs) / 1000,
        durationMs: item.durationMs,
        parentMissing: placements.get(item.id)?.parentMissing ?? false,
        errors: errorsByItem.get(item.id) ?? [],
      });
      const kids = children.get(item.id) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ item: kids[i]!, depth: depth + 1 });
    }
  };
  for (const root of children.get(undefined) ?? []) walk(root);
  // Items caught in a parent cycle are reachable from no root: start a walk at the earliest of them.
  for (const item of [...items.values()].sort(byStart)) {
    if (!visited.has(item.id)) walk(item);
  }

  // Errors are instants and agents' clocks for them may differ: only rows give a trace its length.
  const endUs = Math.max(startUs, maxOf(rows.map((row) => startUs + (row.offsetMs + row.durationMs) * 1000)));
  const rootTransaction = (children.get(undefined) ?? []).find((item) => item.kind === 'transaction');
  const transactionCount = [...items.values()].filter((item) => item.kind === 'transaction').length;
  const firstError = trace.errors[0];
  return {
    traceId: trace.traceId,
    name: rootTransaction?.name ?? rows[0]?.name ?? (firstError ? errorTitle(firstError) : 'empty trace'),
    services: [...new Set([...rows.map((row) => row.service), ...trace.errors.map((e) => e.service)])],
    startUs,
    durationMs: (endUs - startUs) / 1000,
    outcome: rootTransaction?.outcome ?? 'unknown',
    hasRoot: rootTransaction !== undefined,
    rows,
    errors: unattached,
    transactionCount,
    spanCount: items.size - transactionCount,
    errorCount: trace.errors.length,
    droppedEvents: trace.droppedEvents,
    version: trace.version,
    lastReceivedAt: trace.lastReceivedAt,
  };
}

/** "Type: message", or just the type when the message is empty. */
export function errorTitle(error: TraceError): string {
  return error.message ? `${error.type}: ${error.message}` : error.type;
}
