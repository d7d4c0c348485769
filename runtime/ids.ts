// Random ids for traces, transactions, spans and errors.
// One crypto call fills a pool of random bytes that is hex-encoded once; each id is then a
// cheap slice of that string (a syscall per id would dominate the cost of a span).
// node:crypto loads with the first id, not when the runtime is imported (see lazy-builtins.ts).
import { nodeCrypto } from './lazy-builtins.js';

const POOL_BYTES = 16_384;

let random: Buffer | undefined;
let randomWords: Uint32Array = new Uint32Array(0);
let pool = '';
let position = 0;
let poolAscii: Buffer | undefined;

/**
 * The pool's hex characters as bytes, four to a word (made with the first id, then the same array refilled): a span
 * id handed to the transport worker is copied from here with four word stores, where copying the id string took
 * sixteen character reads of a sliced string. An id's characters are words at/4 to at/4 + 3 (`at` from takeSpanId),
 * good until the next id is taken.
 */
export let poolWords: Uint32Array = new Uint32Array(0);

function refill(): void {
  if (random === undefined) {
    random = Buffer.allocUnsafeSlow(POOL_BYTES);
    randomWords = new Uint32Array(random.buffer, 0, POOL_BYTES / 4);
    poolAscii = Buffer.allocUnsafeSlow(2 * POOL_BYTES);
    poolWords = new Uint32Array(poolAscii.buffer, 0, POOL_BYTES / 2);
  }
  nodeCrypto().randomFillSync(random);
  pool = random.toString('hex');
  (poolAscii as Buffer).write(pool, 0, 'latin1');
  position = 0;
}

/**
 * The pool position of `chars` fresh hex characters (16 or 32: positions stay multiples of 16). Ids never are all
 * zeros (W3C trace context): such random bytes are passed over. Checked on the bytes, two words per 16 characters;
 * comparing the id string with zeros went to the runtime (~12 ns per id).
 */
function take(chars: number): number {
  for (;;) {
    if (position + chars > pool.length) refill();
    const at = position;
    position += chars;
    const word = at >> 3; // 16 hex characters are 8 random bytes, two words
    if ((randomWords[word] as number) !== 0 || (randomWords[word + 1] as number) !== 0) return at;
    if (chars === 32 && ((randomWords[word + 2] as number) !== 0 || (randomWords[word + 3] as number) !== 0))
      return at;
  }
}

/** A fresh span id's position in the pool (its string: spanIdAt; its characters: poolWords), until the next id. */
export function takeSpanId(): number {
  return take(16);
}

/** The span id taken at `at`, as 16 lowercase hex characters. */
export function spanIdAt(at: number): string {
  return pool.slice(at, at + 16);
}

/** 64 random bits as 16 lowercase hex characters: transaction and span ids. Never all zeros. */
export function spanId(): string {
  return spanIdAt(take(16));
}

/** 128 random bits as 32 lowercase hex characters: trace and error ids. Never all zeros. */
export function traceId(): string {
  const at = take(32);
  return pool.slice(at, at + 32);
}
