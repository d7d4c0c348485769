// A gzip member (RFC 1952: header, one DEFLATE block, CRC-32 and size) for a piece of the transport worker's output
// buffer, written without zlib's search for matches. zlib level 1 hashed and searched at every byte: ~320 ns of the
// worker's CPU per span line. Here the lines' hints (line-hints.ts) say where a span line differs from the last
// line written from the same head (its id, a parent other than the transaction, the timestamp's last eight digits,
// the duration), so everything else is a match at a known distance: about five matches and thirty literals a line,
// coded with the fixed model of deflate-codes.ts. The tail (outcome, sample rate) matches the last line with the
// same tail. The CRC is zlib's own (zlib.crc32, Node 20.15+ / 22.2+).
// A piece this does not suit (no hints, an error line, or many lines without hints) is left to zlib: `member`
// returns undefined. Lines without hints inside a span piece go as literals, so they must be few.
import { nodeZlib } from '../lazy-builtins.js';
import { END_OF_BLOCK, MAX_MATCH, MIN_MATCH, SPAN_CODES, WINDOW } from './deflate-codes.js';
import { ERROR_LINE, hintsOf, type LineHints } from './line-hints.js';
import { SHORT_ID } from './worker-span-layout.js';
import { ID_AT, PARENT_AT, TRANSACTION_AT } from './worker-span-line.js';

const GZIP_HEADER = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
/** `,"duration":` and the timestamp's last eight digits before it: where those digits start, from the duration's. */
const DURATION_KEY_LENGTH = 12;
const STAMP_LOW_DIGITS = 8;
/** Lines without hints may be at most this share (1/n) of a piece's bytes: as literals they cost ~5x zlib's bytes. */
const LITERAL_SHARE = 64;
/** Heads and tails remembered per member: by content id, the last line written with each. */
const SLOTS = 256;

const codes = SPAN_CODES;
const LITERAL_CODE = codes.literalCode;
const LITERAL_BITS = codes.literalBits;
const LENGTH_CODE = codes.lengthCode;
const LENGTH_BITS = codes.lengthBits;
const DISTANCE_CODE = codes.distanceCode;
const DISTANCE_BITS = codes.distanceBits;

/** True when members can be written here: the codes passed their check and zlib.crc32 exists. */
export function spanDeflateAvailable(): boolean {
  return codes.valid && typeof nodeZlib().crc32 === 'function';
}

export class SpanDeflater {
  /** Ignore the hints and write every line as literals (tests: what the hints are worth). */
  literalsOnly = false;
  private out = new Uint8Array(0);
  private pos = 0;
  /** Bits not yet written (fewer than 16 between calls), lowest first. */
  private acc = 0;
  private count = 0;
  private readonly headIdAt = new Uint32Array(SLOTS);
  private readonly headStartAt = new Int32Array(SLOTS);
  private readonly headParentAt = new Uint8Array(SLOTS);
  private readonly tailIdAt = new Uint32Array(SLOTS);
  private readonly tailStartAt = new Int32Array(SLOTS);

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
    let literal = 0;
    let lineStart = first === 0 ? 0 : (ends[first - 1] as number);
    for (let line = first; line < hints.count; line++) {
      const lineEnd = ends[line] as number;
      if (headIds[line] === 0 || this.literalsOnly) {
        if (info[line] === ERROR_LINE) return -1;
        literal += lineEnd - lineStart;
      }
      if (lineEnd >= end) {
        const total = end - (first === 0 ? 0 : (ends[first - 1] as number));
        return lineEnd === end && (this.literalsOnly || literal * LITERAL_SHARE <= total) ? line : -1;
      }
      lineStart = lineEnd;
    }
    return -1;
  }

  private write(chunk: Buffer, hints: LineHints, first: number, last: number): Buffer {
    const start = chunk.byteOffset;
    const buffer = new Uint8Array(chunk.buffer, 0, start + chunk.length);
    const bound = GZIP_HEADER.length + codes.start.bytes.length + Math.ceil((chunk.length * 15) / 8) + 32;
    if (this.out.length < bound) this.out = new Uint8Array(Math.max(bound, 2 * this.out.length));
    this.out.set(GZIP_HEADER, 0);
    this.out.set(codes.start.bytes, GZIP_HEADER.length);
    this.pos = GZIP_HEADER.length + codes.start.bytes.length;
    this.acc = codes.start.acc;
    this.count = codes.start.count;
    this.headIdAt.fill(0);
    this.tailIdAt.fill(0);
    const { ends, headIds, tailIds, durationAt, info } = hints;
    let lineStart = start;
    for (let line = first; line <= last; line++) {
      const lineEnd = ends[line] as number;
      const head = headIds[line] as number;
      if (head === 0 || this.literalsOnly) this.literals(buffer, lineStart, lineEnd);
      else {
        const lineInfo = info[line] as number;
        const tailStart = lineEnd - (lineInfo >>> 1);
        const slot = head & (SLOTS - 1);
        const durationStart = lineStart + (durationAt[line] as number);
        const headStart = this.headStartAt[slot] as number;
        let digitsFrom = durationStart;
        if (this.headIdAt[slot] === head && lineStart - headStart <= WINDOW) {
          digitsFrom = this.matchHead(
            buffer,
            lineStart,
            durationStart,
            tailStart,
            lineStart - headStart,
            slot,
            lineInfo,
          );
        } else {
          this.literals(buffer, lineStart, durationStart);
        }
        this.literals(buffer, digitsFrom, tailStart);
        const tail = tailIds[line] as number;
        const tailSlot = tail & (SLOTS - 1);
        const distance = tailStart - (this.tailStartAt[tailSlot] as number);
        if (this.tailIdAt[tailSlot] === tail && distance <= WINDOW)
          this.match(buffer, tailStart, lineEnd - tailStart, distance);
        else this.literals(buffer, tailStart, lineEnd);
        this.headIdAt[slot] = head;
        this.headStartAt[slot] = lineStart;
        this.headParentAt[slot] = lineInfo & 1;
        this.tailIdAt[tailSlot] = tail;
        this.tailStartAt[tailSlot] = tailStart;
      }
      lineStart = lineEnd;
    }
    return this.finish(chunk);
  }

  /**
   * A span line up to its duration's digits as matches with the line `distance` back (same head): the id and a
   * parent that differs as literals, the timestamp's digits matched as far as they are equal. Returns where the
   * duration's digits still to be written start (a common leading part goes with the match).
   */
  private matchHead(
    buffer: Uint8Array,
    lineStart: number,
    durationStart: number,
    tailStart: number,
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
        if (parentWritten === 0) this.match(buffer, parentAt, SHORT_ID, PARENT_AT - TRANSACTION_AT);
        else this.literals(buffer, parentAt, parentAt + SHORT_ID);
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
    this.match(buffer, from, to - from, distance);
    return to;
  }

  private literals(buffer: Uint8Array, from: number, to: number): void {
    const out = this.out;
    let pos = this.pos;
    let acc = this.acc;
    let count = this.count;
    for (let i = from; i < to; i++) {
      const byte = buffer[i] as number;
      acc |= (LITERAL_CODE[byte] as number) << count;
      count += LITERAL_BITS[byte] as number;
      if (count >= 16) {
        out[pos++] = acc & 255;
        out[pos++] = (acc >>> 8) & 255;
        acc >>>= 16;
        count -= 16;
      }
    }
    this.pos = pos;
    this.acc = acc;
    this.count = count;
  }

  /** The `length` bytes at `at` as matches `distance` back (pieces of at most 258; fewer than 3 bytes: literals). */
  private match(buffer: Uint8Array, at: number, length: number, distance: number): void {
    if (length < MIN_MATCH) {
      this.literals(buffer, at, at + length);
      return;
    }
    const out = this.out;
    let pos = this.pos;
    let acc = this.acc;
    let count = this.count;
    let left = length;
    while (left > 0) {
      // The last piece must still be a match: 259 or 260 bytes go as 256 and 3 or 4.
      const piece = left <= MAX_MATCH ? left : left - MAX_MATCH < MIN_MATCH ? left - MIN_MATCH : MAX_MATCH;
      left -= piece;
      while (count >= 8) {
        out[pos++] = acc & 255;
        acc >>>= 8;
        count -= 8;
      }
      acc |= (LENGTH_CODE[piece] as number) << count;
      count += LENGTH_BITS[piece] as number;
      while (count >= 8) {
        out[pos++] = acc & 255;
        acc >>>= 8;
        count -= 8;
      }
      acc |= (DISTANCE_CODE[distance] as number) << count;
      count += DISTANCE_BITS[distance] as number;
    }
    if (count >= 16) {
      out[pos++] = acc & 255;
      out[pos++] = (acc >>> 8) & 255;
      acc >>>= 16;
      count -= 16;
    }
    this.pos = pos;
    this.acc = acc;
    this.count = count;
  }

  /** End of block, the last bits, CRC-32 and size: the member, copied out of the scratch buffer. */
  private finish(chunk: Buffer): Buffer {
    let acc = this.acc | ((LITERAL_CODE[END_OF_BLOCK] as number) << this.count);
    let count = this.count + (LITERAL_BITS[END_OF_BLOCK] as number);
    const out = this.out;
    let pos = this.pos;
    while (count > 0) {
      out[pos++] = acc & 255;
      acc >>>= 8;
      count -= 8;
    }
    const crc = nodeZlib().crc32(chunk);
    for (const word of [crc, chunk.length]) {
      out[pos++] = word & 255;
      out[pos++] = (word >>> 8) & 255;
      out[pos++] = (word >>> 16) & 255;
      out[pos++] = word >>> 24;
    }
    const member = Buffer.allocUnsafe(pos);
    member.set(out.subarray(0, pos));
    return member;
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
