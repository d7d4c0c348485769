// Writing one gzip member whose DEFLATE block uses the codes of deflate-codes.ts: literals, matches the caller
// found, and (for lines the caller knows less about) matches against a line before found by comparing bytes at two
// alignments, never by a search. span-deflate.ts decides what each line's bytes are; this writes the bits.
import { nodeZlib } from '../lazy-builtins.js';
import { END_OF_BLOCK, MAX_MATCH, MIN_MATCH, type SpanCodes, spanCodes, WINDOW } from './deflate-codes.js';

const GZIP_HEADER = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
/** A repeat of the byte before (distance 1) is taken only this long: shorter ones cost about what their literals do. */
const MIN_RUN = 8;

export class DeflateBlockWriter {
  private readonly codes: SpanCodes = spanCodes();
  private out = new Uint8Array(0);
  private pos = 0;
  /** Bits not yet written (fewer than 16 between calls), lowest first. */
  private acc = 0;
  private count = 0;
  /** Where the member's input starts in the buffer: no match reaches before it. */
  protected floor = 0;

  /** Starts a member for `length` bytes of input from `floor`: the gzip header and the block's header. */
  protected begin(floor: number, length: number): void {
    // At most 15 bits a byte (a literal; a match of n bytes costs less than n literals), and the framing.
    const codes = this.codes;
    const bound = GZIP_HEADER.length + codes.start.bytes.length + Math.ceil((length * 15) / 8) + 32;
    if (this.out.length < bound) this.out = new Uint8Array(Math.max(bound, 2 * this.out.length));
    this.out.set(GZIP_HEADER, 0);
    this.out.set(codes.start.bytes, GZIP_HEADER.length);
    this.pos = GZIP_HEADER.length + codes.start.bytes.length;
    this.acc = codes.start.acc;
    this.count = codes.start.count;
    this.floor = floor;
  }

  protected literals(buffer: Uint8Array, from: number, to: number): void {
    const { literalCode, literalBits } = this.codes;
    const out = this.out;
    let pos = this.pos;
    let acc = this.acc;
    let count = this.count;
    for (let i = from; i < to; i++) {
      const byte = buffer[i] as number;
      acc |= (literalCode[byte] as number) << count;
      count += literalBits[byte] as number;
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
  protected match(buffer: Uint8Array, at: number, length: number, distance: number): void {
    if (length < MIN_MATCH) {
      this.literals(buffer, at, at + length);
      return;
    }
    const { lengthCode, lengthBits, distanceCode, distanceBits } = this.codes;
    const out = this.out;
    let pos = this.pos;
    let acc = this.acc;
    let count = this.count;
    let left = length;
    while (left > 0) {
      // The last piece must still be a match: 259 or 260 bytes go as 256 and 3 or 4.
      const piece = left <= MAX_MATCH ? left : left - MAX_MATCH < MIN_MATCH ? left - MIN_MATCH : MAX_MATCH;
      left -= piece;
      // Fewer than 8 bits waiting before each code: a length (20 bits at most) or distance (23) always fits.
      while (count >= 8) {
        out[pos++] = acc & 255;
        acc >>>= 8;
        count -= 8;
      }
      acc |= (lengthCode[piece] as number) << count;
      count += lengthBits[piece] as number;
      while (count >= 8) {
        out[pos++] = acc & 255;
        acc >>>= 8;
        count -= 8;
      }
      acc |= (distanceCode[distance] as number) << count;
      count += distanceBits[distance] as number;
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

  /**
   * Bytes `from` to `to` against an earlier line at two alignments (`near`, `far` bytes back; 0: none): where either
   * repeats at least 3 bytes, a match, the longer one; a run of one byte, a match 1 back; otherwise literals.
   */
  protected alignedMatches(buffer: Uint8Array, from: number, to: number, near: number, far: number): void {
    const first = near > 0 && near <= WINDOW ? near : 0;
    const second = far > 0 && far <= WINDOW && far !== near ? far : 0;
    let literalFrom = from;
    let i = from;
    while (i < to) {
      let best = this.repeated(buffer, i, to, first);
      let distance = first;
      const other = this.repeated(buffer, i, to, second);
      if (other > best) {
        best = other;
        distance = second;
      }
      if (best < MIN_MATCH) {
        const run = this.repeated(buffer, i, to, 1);
        if (run >= MIN_RUN) {
          best = run;
          distance = 1;
        }
      }
      if (best < MIN_MATCH) {
        i++;
        continue;
      }
      this.literals(buffer, literalFrom, i);
      this.match(buffer, i, best, distance);
      i += best;
      literalFrom = i;
    }
    this.literals(buffer, literalFrom, to);
  }

  /** How many bytes from `at` (before `to`) equal those `distance` back; 0 for no distance or one out of reach. */
  private repeated(buffer: Uint8Array, at: number, to: number, distance: number): number {
    if (distance === 0 || at - distance < this.floor) return 0;
    let length = 0;
    while (at + length < to && buffer[at + length] === buffer[at + length - distance]) length++;
    return length;
  }

  /** End of block, the last bits, CRC-32 and size: the member, copied out of the scratch buffer. */
  protected finish(input: Uint8Array): Buffer {
    const { literalCode, literalBits } = this.codes;
    let acc = this.acc | ((literalCode[END_OF_BLOCK] as number) << this.count);
    let count = this.count + (literalBits[END_OF_BLOCK] as number);
    const out = this.out;
    let pos = this.pos;
    while (count > 0) {
      out[pos++] = acc & 255;
      acc >>>= 8;
      count -= 8;
    }
    const crc = nodeZlib().crc32(input);
    for (const word of [crc, input.length]) {
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
