// A gzip member (RFC 1952: header, one DEFLATE block, CRC-32 and size) for a piece of the transport worker's output
// buffer, written without zlib's search for matches. zlib level 1 hashed and searched at every byte: ~320 ns of the
// worker's CPU per span line. Here the lines' hints (line-hints.ts) say where a span line differs from the last
// line written from the same head (its id, a parent other than the transaction, the timestamp's last eight digits,
// the duration), so everything else is a match at a known distance: about five matches and thirty literals a line,
// coded with the fixed model of deflate-codes.ts. The tail (outcome, sample rate) matches the last line with the
// same tail. A span line whose head has not been seen in the member (a new transaction, a name not seen lately) and
// the few other lines a span piece may hold are matched against the line of their sort before them, compared at two
// alignments (deflate-block.ts). The CRC is zlib's own (zlib.crc32, Node 20.15+ / 22.2+).
// A piece this does not suit (no hints, an error line, or many lines without hints) is left to zlib: `member`
// returns undefined.
import { nodeZlib } from '../lazy-builtins.js';
import { DeflateBlockWriter } from './deflate-block.js';
import { spanCodes, WINDOW } from './deflate-codes.js';
import { ERROR_LINE, hintsOf, type LineHints, useHintedMembers } from './line-hints.js';
import { SHORT_ID } from './worker-span-layout.js';
import { ID_AT, PARENT_AT, TRANSACTION_AT } from './worker-span-parts.js';

/** `,"duration":` and the timestamp's last eight digits before it: where those digits start, from the duration's. */
const DURATION_KEY_LENGTH = 12;
const STAMP_LOW_DIGITS = 8;
/**
 * Lines without hints may be at most this share (1/n) of a piece's bytes. They are matched only against the line of
 * their sort before them: measured against zlib level 1 (a transaction line every n spans), 1.09x the bytes at 2.6%
 * of them, 1.2x at 6-12%, 1.4x at 14%, 1.9x at 31% (and slower than zlib there).
 */
const OTHER_LINES_SHARE = 10;
/** Heads and tails remembered per member: by content id, the last line written with each. */
const SLOTS = 256;

/** True when members can be written here: the codes passed their check and zlib.crc32 exists. */
export function spanDeflateAvailable(): boolean {
  return typeof nodeZlib().crc32 === 'function' && spanCodes().valid;
}

/**
 * Lets gzip-members.ts write members for pieces of output buffers with hints (the drain calls this). The encoder and
 * its codes are made on the first piece; without zlib.crc32 or with codes that failed their check, zlib does them all.
 */
export function useSpanDeflate(): void {
  let deflater: SpanDeflater | null | undefined;
  useHintedMembers((chunk) => {
    deflater ??= spanDeflateAvailable() ? new SpanDeflater() : null;
    return deflater?.member(chunk);
  });
}

export class SpanDeflater extends DeflateBlockWriter {
  /** Ignore the hints and write every line as literals (tests: what the hints are worth). */
  literalsOnly = false;
  /** Lines without hints may be at most 1/n of a piece's bytes. */
  otherLinesShare = OTHER_LINES_SHARE;
  private readonly headIdAt = new Uint32Array(SLOTS);
  private readonly headStartAt = new Int32Array(SLOTS);
  private readonly headParentAt = new Uint8Array(SLOTS);
  private readonly tailIdAt = new Uint32Array(SLOTS);
  private readonly tailStartAt = new Int32Array(SLOTS);
  /** The last span line with hints (its start and where its duration starts) and the last other line: -1, none. */
  private spanStart = -1;
  private spanDurationStart = -1;
  private otherStart = -1;
  private otherEnd = -1;
  /** Where the last parent written in a span line is (-1: none): siblings share it. */
  private parentAt = -1;

  /** `chunk` (whole lines of an output buffer with hints) as a gzip member; undefined when zlib should do it. */
  member(chunk: Buffer): Buffer | undefined {
    const hints = hintsOf(chunk);
    if (hints === undefined || chunk.length === 0) return undefined;
    const start = chunk.byteOffset;
    const end = start + chunk.length;
    const first = firstLine(hints, start);
    if (first < 0) return undefined;
    const last = this.lastLineIfSuited(hints, first, end);
    if (last < 0) return undefined;
    return this.write(chunk, hints, first, last);
  }

  /** The index of the line ending at `end` when the lines first..it suit this encoder; -1 otherwise. */
  private lastLineIfSuited(hints: LineHints, first: number, end: number): number {
    const { ends, headIds, info } = hints;
    let other = 0;
    let lineStart = first === 0 ? 0 : (ends[first - 1] as number);
    const total = end - lineStart;
    for (let line = first; line < hints.count; line++) {
      const lineEnd = ends[line] as number;
      if (headIds[line] === 0) {
        if (info[line] === ERROR_LINE) return -1;
        other += lineEnd - lineStart;
      }
      if (lineEnd >= end) return lineEnd === end && other * this.otherLinesShare <= total ? line : -1;
      lineStart = lineEnd;
    }
    return -1;
  }

  private write(chunk: Buffer, hints: LineHints, first: number, last: number): Buffer {
    const start = chunk.byteOffset;
    const buffer = new Uint8Array(chunk.buffer, 0, start + chunk.length);
    this.begin(start, chunk.length);
    this.headIdAt.fill(0);
    this.tailIdAt.fill(0);
    this.spanStart = -1;
    this.otherStart = -1;
    this.parentAt = -1;
    const { ends, headIds, durationAt } = hints;
    let lineStart = start;
    for (let line = first; line <= last; line++) {
      const lineEnd = ends[line] as number;
      const head = headIds[line] as number;
      if (this.literalsOnly) this.literals(buffer, lineStart, lineEnd);
      else if (head === 0) this.otherLine(buffer, lineStart, lineEnd);
      else this.spanLine(buffer, hints, line, lineStart, lineStart + (durationAt[line] as number), lineEnd);
      lineStart = lineEnd;
    }
    return this.finish(chunk);
  }

  /** A span line with hints, its duration's digits at `durationStart`. */
  private spanLine(
    buffer: Uint8Array,
    hints: LineHints,
    line: number,
    lineStart: number,
    durationStart: number,
    lineEnd: number,
  ): void {
    const head = hints.headIds[line] as number;
    const lineInfo = hints.info[line] as number;
    const tailStart = lineEnd - (lineInfo >>> 1);
    const slot = head & (SLOTS - 1);
    const headStart = this.headStartAt[slot] as number;
    const tail = hints.tailIds[line] as number;
    const tailSlot = tail & (SLOTS - 1);
    const tailDistance = tailStart - (this.tailStartAt[tailSlot] as number);
    const tailKnown = this.tailIdAt[tailSlot] === tail && tailDistance <= WINDOW;
    let digitsFrom = durationStart;
    if (this.headIdAt[slot] === head && lineStart - headStart <= WINDOW) {
      const distance = lineStart - headStart;
      // The line `distance` back has this tail where this line has it: past an equal duration, the same bytes.
      const sameTo = tailKnown && tailDistance === distance ? lineEnd : tailStart;
      digitsFrom = this.matchHead(
        buffer,
        lineStart,
        durationStart,
        tailStart,
        sameTo,
        distance,
        slot,
        lineInfo,
      );
    } else {
      // No line from this head lately: the last span line, aligned at its start and at its duration.
      const near = this.spanStart < 0 ? 0 : lineStart - this.spanStart;
      const far = this.spanStart < 0 ? 0 : durationStart - this.spanDurationStart;
      this.alignedMatches(buffer, lineStart, durationStart, near, far);
    }
    // What the head's match left: the duration's other digits, then the tail (or the part of it not matched yet).
    const tailFrom = Math.max(digitsFrom, tailStart);
    this.literals(buffer, digitsFrom, tailStart);
    if (tailKnown) this.match(buffer, tailFrom, lineEnd - tailFrom, tailDistance);
    else this.literals(buffer, tailFrom, lineEnd);
    this.headIdAt[slot] = head;
    this.headStartAt[slot] = lineStart;
    this.headParentAt[slot] = lineInfo & 1;
    this.tailIdAt[tailSlot] = tail;
    this.tailStartAt[tailSlot] = tailStart;
    this.spanStart = lineStart;
    this.spanDurationStart = durationStart;
    if ((lineInfo & 1) !== 0) this.parentAt = lineStart + PARENT_AT;
  }

  /** A line without hints (a transaction's, say): against the last such line, aligned at its start and its end. */
  private otherLine(buffer: Uint8Array, lineStart: number, lineEnd: number): void {
    const near = this.otherStart < 0 ? 0 : lineStart - this.otherStart;
    const far = this.otherStart < 0 ? 0 : lineEnd - this.otherEnd;
    this.alignedMatches(buffer, lineStart, lineEnd, near, far);
    this.otherStart = lineStart;
    this.otherEnd = lineEnd;
  }

  /**
   * A span line up to its duration's digits as matches with the line `distance` back (same head): the id and a
   * parent that differs as literals, the timestamp's digits matched as far as they are equal. Returns where the
   * match ends: the duration's leading digits that are the same go with it, and when all of them are, on to `sameTo`
   * (the line's end when the tail is known to be the same there).
   */
  private matchHead(
    buffer: Uint8Array,
    lineStart: number,
    durationStart: number,
    tailStart: number,
    sameTo: number,
    distance: number,
    slot: number,
    lineInfo: number,
  ): number {
    const idAt = lineStart + ID_AT;
    this.match(buffer, lineStart, ID_AT, distance);
    this.literals(buffer, idAt, idAt + SHORT_ID);
    let from = idAt + SHORT_ID;
    const parentWritten = lineInfo & 1;
    if ((parentWritten | (this.headParentAt[slot] as number)) !== 0) {
      const parentAt = lineStart + PARENT_AT;
      if (parentWritten === 0 || !same(buffer, parentAt, distance, SHORT_ID)) {
        this.match(buffer, from, parentAt - from, distance);
        // A parent that is the transaction again is a copy of the transaction id in this line.
        const sibling = parentAt - this.parentAt;
        if (parentWritten === 0) this.match(buffer, parentAt, SHORT_ID, PARENT_AT - TRANSACTION_AT);
        // The parent of the last span line with one written: a sibling's.
        else if (this.parentAt >= 0 && sibling <= WINDOW && same(buffer, parentAt, sibling, SHORT_ID)) {
          this.match(buffer, parentAt, SHORT_ID, sibling);
        } else this.literals(buffer, parentAt, parentAt + SHORT_ID);
        from = parentAt + SHORT_ID;
      }
    }
    const stampAt = durationStart - DURATION_KEY_LENGTH - STAMP_LOW_DIGITS;
    const stampEnd = stampAt + STAMP_LOW_DIGITS;
    let to = stampAt;
    while (to < stampEnd && buffer[to] === buffer[to - distance]) to++;
    if (to < stampEnd) {
      this.match(buffer, from, to - from, distance);
      this.literals(buffer, to, stampEnd);
      from = stampEnd;
    }
    to = durationStart;
    while (to < tailStart && buffer[to] === buffer[to - distance]) to++;
    if (to === tailStart) to = sameTo;
    this.match(buffer, from, to - from, distance);
    return to;
  }
}

/** The index of the line that starts at `start` (a line of the buffer's current fill), or -1. */
function firstLine(hints: LineHints, start: number): number {
  const ends = hints.ends;
  let low = 0;
  let high = hints.count;
  // The first line ending after `start`.
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ends[middle] as number) > start) high = middle;
    else low = middle + 1;
  }
  if (low >= hints.count) return -1;
  return (low === 0 ? 0 : (ends[low - 1] as number)) === start ? low : -1;
}

/** True when the `length` bytes at `at` equal those `distance` before. */
function same(buffer: Uint8Array, at: number, distance: number, length: number): boolean {
  for (let i = at; i < at + length; i++) if (buffer[i] !== buffer[i - distance]) return false;
  return true;
}
