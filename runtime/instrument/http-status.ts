// Outcome and result from an HTTP status (AGENT-RULES sections 6-7, gherkin outcome.feature).
// A missing status (no response: reset, refused, aborted) is passed as undefined.
import type { Outcome } from '../transaction.js';

/** Server side: only 5xx (or no status at all) is a failure; a 4xx is the client's problem. */
export function serverOutcome(status: number | undefined): Outcome {
  return status === undefined || !(status > 0) || status >= 500 ? 'failure' : 'success';
}

/** Client side: 4xx and 5xx are failures, and so is a request that got no status. */
export function clientOutcome(status: number | undefined): Outcome {
  return status === undefined || !(status > 0) || status >= 400 ? 'failure' : 'success';
}

/** Transaction result: `HTTP 2xx` and friends. */
export function httpResult(status: number): string {
  return `HTTP ${Math.floor(status / 100)}xx`;
}
