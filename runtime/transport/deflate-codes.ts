// The Huffman codes of span-deflate.ts's DEFLATE block (RFC 1951 3.2.7, BTYPE=10), made once (on first use) from a
// model of what that encoder emits for span lines: hex and decimal digits (ids, timestamps, durations) cheap, the
// match lengths and distances of line-to-line references cheap, every other byte still codable. A fixed model instead
// of one counted per block: counting symbols, building and writing a code for every member would be work per span
// that the model spares, and span lines are all alike. The block header that describes the codes is made once too.
// zlib's inflate rejects a code that is over-subscribed or incomplete, so the lengths are checked here; `valid` is
// false if they fail (span-deflate.ts then leaves the lines to zlib).

/** Literal/length symbols (0-255 bytes, 256 end of block, 257-285 lengths) and distance symbols. */
const LITERALS = 286;
const DISTANCES = 30;
export const END_OF_BLOCK = 256;
export const MIN_MATCH = 3;
export const MAX_MATCH = 258;
export const WINDOW = 32768;
const MAX_BITS = 15;
/** Distance codes stay short enough that a code and its 13 extra bits fit the 25 bits a write may add. */
const MAX_DISTANCE_BITS = 10;
const MAX_LENGTH_CODE_BITS = 7;

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DISTANCE_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
/** The order in which the code-length code's lengths are written (RFC 1951 3.2.7). */
const LENGTH_CODE_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * Weights per symbol, about the symbols in 100 span lines as span-deflate.ts codes them (counted on runs of a tiny
 * woven function and of spans with a new transaction every ten, three names and parents mixed): a line has its id's
 * 16 hex digits (a parent other than the transaction: 16 more), the timestamp's changed digits and the duration,
 * and four or five matches: 15 bytes up to the id, ~50 to a written parent, 100-200 to the timestamp's digits, 12-16
 * of the duration's key, ~40 of the tail. Printable ASCII (names in a head not seen lately) a little more likely than
 * other bytes.
 */
function literalWeights(): number[] {
  const weights = new Array<number>(LITERALS).fill(1);
  for (let byte = 32; byte < 127; byte++) weights[byte] = 3;
  for (let digit = 48; digit <= 57; digit++) weights[digit] = 200;
  for (let letter = 97; letter <= 102; letter++) weights[letter] = 155;
  weights[46] = 60; // '.'
  const lengths: Record<number, number> = { 264: 10, 265: 40, 266: 20, 267: 160, 268: 12, 273: 115, 274: 30 };
  Object.assign(lengths, { 275: 55, 276: 10, 279: 40, 281: 40, 282: 40 });
  for (let symbol = 257; symbol < LITERALS; symbol++)
    weights[symbol] = lengths[symbol] ?? (symbol >= 277 ? 20 : 8);
  return weights;
}

/** Distances of one line back (200-500 bytes) most, two or three lines back next; 31 for a parent that is the transaction. */
function distanceWeights(): number[] {
  const weights = new Array<number>(DISTANCES).fill(2);
  Object.assign(weights, {
    0: 5,
    9: 15,
    14: 20,
    15: 100,
    16: 300,
    17: 150,
    18: 100,
    19: 100,
    20: 20,
    21: 20,
  });
  for (let code = 22; code < DISTANCES; code++) weights[code] = 5;
  return weights;
}

/** Huffman code lengths for `weights` (all > 0 stay > 0), at most `limit` bits: weights are flattened until they fit. */
export function codeLengths(weights: readonly number[], limit: number): number[] {
  let current = weights.slice();
  for (;;) {
    const lengths = huffmanLengths(current);
    if (Math.max(...lengths) <= limit) return lengths;
    current = current.map((weight) => (weight === 0 ? 0 : (weight >> 1) + 1));
  }
}

/**
 * Huffman code lengths (a symbol's depth in the tree), by the two-queue method: leaves sorted by weight once, joined
 * trees come out in order of weight, so the two lightest are always at the head of one queue or the other. Zero
 * weights get 0.
 */
function huffmanLengths(weights: readonly number[]): number[] {
  const lengths = new Array<number>(weights.length).fill(0);
  const leaves = weights.flatMap((weight, symbol) => (weight > 0 ? [symbol] : []));
  leaves.sort((a, b) => (weights[a] as number) - (weights[b] as number));
  if (leaves.length === 1) lengths[leaves[0] as number] = 1;
  if (leaves.length < 2) return lengths;
  // Nodes: the leaves (0..n-1), then joined trees (n..2n-2) in the order made; the root is the last.
  const count = leaves.length;
  const weightOf = leaves.map((symbol) => weights[symbol] as number);
  const parent = new Array<number>(2 * count - 1).fill(-1);
  let leaf = 0;
  let joined = count;
  const lightest = (): number => {
    const takeLeaf =
      leaf < count &&
      (joined >= weightOf.length || (weightOf[leaf] as number) <= (weightOf[joined] as number));
    return takeLeaf ? leaf++ : joined++;
  };
  for (let node = count; node < 2 * count - 1; node++) {
    const a = lightest();
    const b = lightest();
    weightOf.push((weightOf[a] as number) + (weightOf[b] as number));
    parent[a] = node;
    parent[b] = node;
  }
  const depth = new Array<number>(2 * count - 1).fill(0);
  for (let node = 2 * count - 3; node >= 0; node--)
    depth[node] = (depth[parent[node] as number] as number) + 1;
  for (let i = 0; i < count; i++) lengths[leaves[i] as number] = depth[i] as number;
  return lengths;
}

/** True when the nonzero lengths (at most `limit`) form a complete prefix code: Kraft's sum is exactly 1. */
export function isCompleteCode(lengths: readonly number[], limit: number): boolean {
  let sum = 0;
  for (const length of lengths) {
    if (length > limit || length < 0) return false;
    if (length > 0) sum += 2 ** (limit - length);
  }
  return sum === 2 ** limit;
}

/** Canonical codes for the lengths (RFC 1951 3.2.2), bit-reversed: DEFLATE writes a code's first bit lowest. */
function canonicalCodes(lengths: readonly number[]): number[] {
  const counts = new Array<number>(MAX_BITS + 1).fill(0);
  for (const length of lengths) if (length > 0) counts[length] = (counts[length] as number) + 1;
  const next = new Array<number>(MAX_BITS + 1).fill(0);
  let code = 0;
  for (let bits = 1; bits <= MAX_BITS; bits++) {
    code = (code + (counts[bits - 1] as number)) << 1;
    next[bits] = code;
  }
  return lengths.map((length) => {
    if (length === 0) return 0;
    const value = next[length] as number;
    next[length] = value + 1;
    return reverse(value, length);
  });
}

function reverse(code: number, bits: number): number {
  let reversed = 0;
  for (let i = 0; i < bits; i++) reversed |= ((code >> i) & 1) << (bits - 1 - i);
  return reversed;
}

/** The bits of the block header, lowest first: what a block writer starts from. */
export interface BlockStart {
  /** Whole bytes of the header. */
  bytes: Uint8Array;
  /** The bits after them (`count` < 8 of them, in `acc`). */
  acc: number;
  count: number;
}

export interface SpanCodes {
  valid: boolean;
  /** Per byte / end of block: the code (bit-reversed) and its length. */
  literalCode: Uint32Array;
  literalBits: Uint8Array;
  /** Per match length 3-258: its symbol's code with the extra bits above it, and the bits in all (at most 20). */
  lengthCode: Uint32Array;
  lengthBits: Uint8Array;
  /** Per distance 1-32768: its code with the extra bits above it, and the bits in all (at most 23). */
  distanceCode: Uint32Array;
  distanceBits: Uint8Array;
  start: BlockStart;
}

function buildCodes(): SpanCodes {
  const literalLengths = codeLengths(literalWeights(), MAX_BITS);
  const distanceLengths = codeLengths(distanceWeights(), MAX_DISTANCE_BITS);
  const literalCodes = canonicalCodes(literalLengths);
  const distanceCodes = canonicalCodes(distanceLengths);
  const lengthCode = new Uint32Array(MAX_MATCH + 1);
  const lengthBits = new Uint8Array(MAX_MATCH + 1);
  for (let length = MIN_MATCH, index = 0; length <= MAX_MATCH; length++) {
    while (index + 1 < LENGTH_BASE.length && (LENGTH_BASE[index + 1] as number) <= length) index++;
    const bits = literalLengths[257 + index] as number;
    lengthCode[length] =
      (literalCodes[257 + index] as number) | ((length - (LENGTH_BASE[index] as number)) << bits);
    lengthBits[length] = bits + (LENGTH_EXTRA[index] as number);
  }
  const distanceCode = new Uint32Array(WINDOW + 1);
  const distanceBits = new Uint8Array(WINDOW + 1);
  for (let distance = 1, index = 0; distance <= WINDOW; distance++) {
    while (index + 1 < DISTANCE_BASE.length && (DISTANCE_BASE[index + 1] as number) <= distance) index++;
    const bits = distanceLengths[index] as number;
    distanceCode[distance] =
      (distanceCodes[index] as number) | ((distance - (DISTANCE_BASE[index] as number)) << bits);
    distanceBits[distance] = bits + (DISTANCE_EXTRA[index] as number);
  }
  const valid =
    isCompleteCode(literalLengths, MAX_BITS) &&
    isCompleteCode(distanceLengths, MAX_DISTANCE_BITS) &&
    (literalLengths[END_OF_BLOCK] as number) > 0;
  return {
    valid,
    literalCode: Uint32Array.from(literalCodes),
    literalBits: Uint8Array.from(literalLengths),
    lengthCode,
    lengthBits,
    distanceCode,
    distanceBits,
    start: blockStart(literalLengths, distanceLengths),
  };
}

/** BFINAL=1, BTYPE=10 and the code lengths, written with a code-length code of their own (no run-length symbols). */
function blockStart(literalLengths: readonly number[], distanceLengths: readonly number[]): BlockStart {
  const all = [...literalLengths, ...distanceLengths];
  const frequencies = new Array<number>(19).fill(0);
  for (const length of all) frequencies[length] = (frequencies[length] as number) + 1;
  const lengthCodeLengths = codeLengths(frequencies, MAX_LENGTH_CODE_BITS);
  if (!isCompleteCode(lengthCodeLengths, MAX_LENGTH_CODE_BITS))
    throw new Error('incomplete code-length code');
  const lengthCodes = canonicalCodes(lengthCodeLengths);
  let written = LENGTH_CODE_ORDER.length;
  while (written > 4 && lengthCodeLengths[LENGTH_CODE_ORDER[written - 1] as number] === 0) written--;
  const bytes: number[] = [];
  let acc = 0;
  let count = 0;
  const put = (value: number, bits: number) => {
    acc |= value << count;
    count += bits;
    while (count >= 8) {
      bytes.push(acc & 255);
      acc >>>= 8;
      count -= 8;
    }
  };
  put(1, 1); // BFINAL
  put(2, 2); // BTYPE 10
  put(LITERALS - 257, 5);
  put(DISTANCES - 1, 5);
  put(written - 4, 4);
  for (let i = 0; i < written; i++) put(lengthCodeLengths[LENGTH_CODE_ORDER[i] as number] as number, 3);
  for (const length of all) put(lengthCodes[length] as number, lengthCodeLengths[length] as number);
  return { bytes: Uint8Array.from(bytes), acc, count };
}

let built: SpanCodes | undefined;

/** Built once, when the transport worker first compresses span lines (~1 ms: not at load, for processes that never do). */
export function spanCodes(): SpanCodes {
  built ??= buildCodes();
  return built;
}
