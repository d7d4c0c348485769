// A run of events already encoded as their NDJSON lines in UTF-8, one after another in one buffer: how the
// transport worker hands what it drained from the ring to the HTTP transport. One object and one queue entry per
// run instead of per event: the per-event objects, calls and queue slots were a large part of the worker's CPU.
// The run is counted as `count` events everywhere (queue bound, stats, flush bookkeeping) and may be split at any
// line end, since the line ends are known: a request still ends at the line that reaches apiRequestSize.

export class EncodedLines {
  constructor(
    /** The bytes; they must not change while the lines are queued or being written. */
    readonly buffer: Buffer,
    /** Where each line ends in `buffer` (exclusive); this run's lines are ends[first] to ends[first + count - 1]. */
    readonly ends: Uint32Array,
    /** Where the first line starts. */
    public start: number,
    public first: number,
    /** Lines (events) in the run, at least 1. */
    public count: number,
  ) {}

  /** Where the last line ends. */
  get end(): number {
    return this.ends[this.first + this.count - 1] as number;
  }

  /** The fewest leading lines, at least one, that hold `bytes` bytes (all of them when they hold fewer). */
  linesReaching(bytes: number): number {
    const ends = this.ends;
    const goal = this.start + bytes;
    let low = this.first;
    let high = this.first + this.count - 1;
    if ((ends[high] as number) <= goal) return this.count;
    // The first line whose end reaches the goal: ends[high] >= goal throughout.
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((ends[middle] as number) >= goal) high = middle;
      else low = middle + 1;
    }
    return high - this.first + 1;
  }

  /** Takes the first `lines` lines (0 < lines < count) off the front: returns them as a run; this keeps the rest. */
  takeFirst(lines: number): EncodedLines {
    const taken = new EncodedLines(this.buffer, this.ends, this.start, this.first, lines);
    this.start = this.ends[this.first + lines - 1] as number;
    this.first += lines;
    this.count -= lines;
    return taken;
  }
}

/** Events in a queued item: a run's lines, or 1 for an event object. */
export function eventCount(event: object): number {
  return event instanceof EncodedLines ? event.count : 1;
}
