// Delay before the next intake request after consecutive failures (AGENT-RULES §13):
// min(failures, 6)^2 seconds with ±10% jitter, where the first failure of a streak counts 0,
// so the sequence is 0, ~1, ~4, ~9, ~16, ~25, then ~36 s.

export const DEFAULT_BACKOFF_UNIT_MS = 1000;

/**
 * @param previousFailures failures in the current streak before the one just seen (0 for the first)
 * @param unitMs one "second" of the formula; tests shrink it to keep fault tests fast
 * @param random source of jitter in [0, 1)
 */
export function backoffDelayMs(
  previousFailures: number,
  unitMs = DEFAULT_BACKOFF_UNIT_MS,
  random = Math.random,
): number {
  const n = Math.min(Math.max(previousFailures, 0), 6);
  const base = n * n * unitMs;
  const jitter = base * 0.1 * (random() * 2 - 1);
  return Math.max(0, Math.round(base + jitter));
}
