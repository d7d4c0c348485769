// Wall-clock time with sub-millisecond resolution, without a Date allocation per call.
// performance.now() is monotonic; adding timeOrigin turns it into epoch milliseconds.
// The global `performance` loads node:perf_hooks (~0.5 ms) when first read: read on the first clock
// reading, not when the runtime is imported.
let origin = 0;
let readNow: (() => number) | undefined;

/** Epoch time in milliseconds (float, microsecond resolution). */
export function nowMs(): number {
  if (readNow === undefined) {
    origin = performance.timeOrigin;
    // Bound once: reading the global `performance` (an accessor) and calling the method through it costs ~4 ns
    // more per reading, and a span takes two.
    readNow = performance.now.bind(performance);
  }
  return origin + readNow();
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
