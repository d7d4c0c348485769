// What the demo prints: each finished trace as a terminal waterfall, and on failure what is missing.
import { type FinishedTrace, renderTraceText, type Waterfall } from '../../server/waterfall/index.js';
import { describeExpected, type ExpectedTrace, matchExpected } from './expected-traces.js';
import type { WorkloadResult } from './workload.js';

/** A failure the user can act on: printed as its message, without a stack. */
export class DemoError extends Error {}

export function traceText({ waterfall, update, complete }: FinishedTrace, colour: boolean): string {
  const notes = [update ? 'updated' : '', complete ? '' : 'incomplete: root transaction missing'];
  const note = notes.filter(Boolean).join('; ');
  return `\n${note ? `(${note})\n` : ''}${renderTraceText(waterfall, { color: colour })}`;
}

export interface Verdict {
  received: Waterfall[];
  expected: ExpectedTrace[];
  workload: WorkloadResult[];
  timeoutMs: number;
  shopStderr: string;
}

/** Undefined when every expected trace arrived and every request got its status; else the explanation. */
export function failureReport(verdict: Verdict): string | undefined {
  const matched = matchExpected(verdict.received, verdict.expected);
  const missing = verdict.expected
    .filter((_, index) => !matched[index])
    .map((expected) => describeExpected(expected, verdict.received));
  const badRequests = verdict.workload.filter((result) => !result.ok);
  if (missing.length === 0 && badRequests.length === 0) return undefined;
  const lines: string[] = [];
  if (missing.length > 0) {
    lines.push(
      `demo failed: ${missing.length} expected trace(s) did not arrive within ${verdict.timeoutMs / 1000} s:`,
      ...missing.map((line) => `  - ${line}`),
    );
    const received = verdict.received.map((w) => `"${w.name}" (${w.outcome}, ${w.rows.length} rows)`);
    lines.push(`received ${received.length} trace(s)${received.length ? `: ${received.join(', ')}` : ''}`);
  }
  if (badRequests.length > 0) {
    lines.push(
      `demo failed: ${badRequests.length} request(s) did not get the expected status:`,
      ...badRequests.map((result) => `  - ${result.line} (expected ${result.expectedStatus})`),
    );
  }
  if (verdict.shopStderr) lines.push(`demo shop stderr:\n${verdict.shopStderr.trimEnd()}`);
  return `${lines.join('\n')}\n`;
}
