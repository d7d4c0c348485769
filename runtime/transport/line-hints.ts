// What the transport worker knows about each line it writes into an output buffer (worker-ring-drain.ts), kept
// beside the buffer for span-deflate.ts: a span line written from a cached head (worker-span-line.ts) is the bytes
// of the last line written from the same head except in known places, so its DEFLATE matches need no search.
// Per line: the head's and the tail's content ids (0: no hints, the line is not such a span line), where the
// duration's digits start, the tail's length, and whether the parent was written (not the transaction's id).
// Typed-array stores only: a few per line, nothing allocated per line.

/** A line's `info` when it is no span line of known shape: an error line (its piece goes to zlib). */
export const ERROR_LINE = 1;

export class LineHints {
  /** Lines recorded in the current fill of the buffer (line i ends at ends[i]). */
  count = 0;
  headIds: Uint32Array;
  tailIds: Uint32Array;
  /** Where the duration's digits start, from the line's start. */
  durationAt: Uint32Array;
  /** Span lines: the tail's length * 2, + 1 when the parent was written. Other lines: ERROR_LINE or 0. */
  info: Uint32Array;

  constructor(
    /** Where each line ends in the buffer, from the buffer's first byte (the drain's array; replaced as it grows). */
    public ends: Uint32Array,
  ) {
    this.headIds = new Uint32Array(ends.length);
    this.tailIds = new Uint32Array(ends.length);
    this.durationAt = new Uint32Array(ends.length);
    this.info = new Uint32Array(ends.length);
  }

  /** The drain's line ends grew into a new array: the hints follow, what was recorded copied over. */
  grow(ends: Uint32Array): void {
    this.ends = ends;
    this.headIds = grown(this.headIds, ends.length);
    this.tailIds = grown(this.tailIds, ends.length);
    this.durationAt = grown(this.durationAt, ends.length);
    this.info = grown(this.info, ends.length);
  }
}

function grown(array: Uint32Array, length: number): Uint32Array {
  const larger = new Uint32Array(length);
  larger.set(array);
  return larger;
}

// Output buffers and their hints. Keyed by the memory (a Buffer handed on is a new view of it); an entry goes
// when its buffer is collected.
const hintsByMemory = new WeakMap<ArrayBufferLike, LineHints>();

export function attachHints(buffer: Buffer, hints: LineHints): void {
  if (buffer.byteOffset === 0) hintsByMemory.set(buffer.buffer, hints);
}

/** The hints of the buffer `chunk` is a view of, if it is an output buffer with hints. */
export function hintsOf(chunk: Buffer): LineHints | undefined {
  return hintsByMemory.get(chunk.buffer);
}

// The member writer for such buffers (span-deflate.ts), registered by the drain that makes them: gzip-members.ts
// asks here, so the runtime's in-thread bundle, which has no drain, carries no encoder.
let hintedWriter: ((chunk: Buffer) => Buffer | undefined) | undefined;

export function useHintedMembers(writer: (chunk: Buffer) => Buffer | undefined): void {
  hintedWriter ??= writer;
}

/** `chunk` as a gzip member written from its buffer's hints, or undefined when zlib should do it. */
export function hintedMember(chunk: Buffer): Buffer | undefined {
  return hintedWriter?.(chunk);
}
