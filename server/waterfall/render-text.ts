// The terminal waterfall: a header line, then one line per transaction or span (indented by
// nesting, a bar on the trace's time axis, duration, type, outcome), errors under the row they
// belong to with the top of their stack. Every string from an event is made printable first.
import { clip, printable } from './fields.js';
import type { StackFrame, TraceError } from './model.js';
import { errorTitle, type Waterfall, type WaterfallRow } from './waterfall.js';

export interface TextRenderOptions {
  /** Width of the time-axis bar in characters (default 32). */
  barWidth?: number;
  /** Widest name column, indentation included (default 44). */
  maxNameWidth?: number;
  /** Stack frames shown per error (default 3). */
  frames?: number;
  /** ANSI colours (default false). */
  color?: boolean;
}

const MAX_INDENT_LEVELS = 12;
const ANSI = {
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  reset: '\u001b[0m',
};

export function formatDuration(ms: number): string {
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Columns [from, to) of a row's bar; at least one column so that instant spans stay visible. */
export function barSpan(
  offsetMs: number,
  durationMs: number,
  totalMs: number,
  width: number,
): [number, number] {
  if (totalMs <= 0) return [0, width];
  const clamp = (n: number) => Math.min(width, Math.max(0, n));
  const from = clamp(Math.floor((offsetMs / totalMs) * width));
  const to = clamp(Math.ceil(((offsetMs + durationMs) / totalMs) * width));
  return from >= width ? [width - 1, width] : [from, Math.max(from + 1, to)];
}

function text(value: string, max: number): string {
  return clip(printable(value), max);
}

export function formatFrame(frame: StackFrame): string {
  const where = [frame.file ?? '?', frame.line, frame.column].filter((part) => part !== undefined).join(':');
  return frame.function ? `${text(frame.function, 80)} (${text(where, 120)})` : text(where, 120);
}

export function renderTraceText(waterfall: Waterfall, options: TextRenderOptions = {}): string {
  const barWidth = Math.max(4, options.barWidth ?? 32);
  const maxNameWidth = Math.max(12, options.maxNameWidth ?? 44);
  const frameCount = Math.max(0, options.frames ?? 3);
  const paint = (code: keyof typeof ANSI, value: string) =>
    options.color ? `${ANSI[code]}${value}${ANSI.reset}` : value;
  const outcomeColour = (outcome: string): keyof typeof ANSI =>
    outcome === 'failure' ? 'red' : outcome === 'success' ? 'green' : 'yellow';

  const indentOf = (row: WaterfallRow) => '  '.repeat(Math.min(row.depth, MAX_INDENT_LEVELS));
  const labelOf = (row: WaterfallRow) =>
    `${indentOf(row)}${row.parentMissing ? '? ' : ''}${text(row.name, maxNameWidth)}`;
  const nameWidth = Math.min(maxNameWidth, Math.max(8, ...waterfall.rows.map((row) => labelOf(row).length)));
  const typeWidth = Math.min(28, Math.max(4, ...waterfall.rows.map((row) => printable(row.type).length)));

  const lines: string[] = [headerOf(waterfall, paint)];
  const errorLines = (errors: TraceError[], indent: string) => {
    for (const error of errors) {
      const head = errorTitle(error);
      const handled = error.handled === false ? ' (unhandled)' : '';
      lines.push(`${indent}${paint('red', `✖ ${text(head, 160)}${handled}`)}`);
      for (const frame of error.frames.slice(0, frameCount)) {
        lines.push(`${indent}    ${paint('dim', `at ${formatFrame(frame)}`)}`);
      }
    }
  };
  for (const row of waterfall.rows) {
    const [from, to] = barSpan(row.offsetMs, row.durationMs, waterfall.durationMs, barWidth);
    const bar = ' '.repeat(from) + '█'.repeat(to - from) + ' '.repeat(barWidth - to);
    const label = clip(labelOf(row), nameWidth).padEnd(nameWidth);
    const duration = formatDuration(row.durationMs).padStart(9);
    const type = text(row.type, typeWidth).padEnd(typeWidth);
    const outcome = paint(outcomeColour(row.outcome), text(row.outcome, 16));
    lines.push(
      `  ${label} │${paint(row.outcome === 'failure' ? 'red' : 'bold', bar)}│ ${duration}  ${paint('dim', type)}  ${outcome}`,
    );
    errorLines(row.errors, `  ${indentOf(row)}  `);
  }
  errorLines(waterfall.errors, '  ');
  if (waterfall.rows.some((row) => row.parentMissing)) {
    lines.push(paint('dim', '  ? parent span not received'));
  }
  return `${lines.join('\n')}\n`;
}

function headerOf(waterfall: Waterfall, paint: (code: keyof typeof ANSI, value: string) => string): string {
  const counts = [
    `${waterfall.transactionCount} transaction${waterfall.transactionCount === 1 ? '' : 's'}`,
    `${waterfall.spanCount} span${waterfall.spanCount === 1 ? '' : 's'}`,
  ];
  if (waterfall.errorCount > 0)
    counts.push(`${waterfall.errorCount} error${waterfall.errorCount === 1 ? '' : 's'}`);
  if (waterfall.droppedEvents > 0) counts.push(`${waterfall.droppedEvents} dropped`);
  const services = waterfall.services.map((name) => text(name, 60)).join(', ');
  return [
    paint('bold', text(waterfall.name, 100)),
    formatDuration(waterfall.durationMs),
    services || 'no service',
    counts.join(', '),
    paint('dim', `trace ${text(waterfall.traceId, 64)}`),
  ].join('  ·  ');
}
