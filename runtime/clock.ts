// Wall-clock time with sub-millisecond resolution, without a Date allocation per call.
// performance.now() is monotonic; adding timeOrigin turns it into epoch milliseconds.
const origin = performance.timeOrigin;

/** Epoch time in milliseconds (float, microsecond resolution). */
export function nowMs(): number {
  return origin + performance.now();
}

/** Intake timestamps: integer microseconds since the epoch. */
export function epochMicros(ms: number): number {
  return Math.round(ms * 1000);
}

/** Intake durations: milliseconds, rounded to the microsecond to keep the JSON short. */
export function durationMs(startMs: number, endMs: number): number {
  const d = Math.round((endMs - startMs) * 1000) / 1000;
  return Math.max(d, 0);
}
