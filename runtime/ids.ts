// Random ids for traces, transactions, spans and errors.
// One crypto call fills a pool of random bytes that is hex-encoded once; each id is then a
// cheap slice of that string (a syscall per id would dominate the cost of a span).
// node:crypto loads with the first id, not when the runtime is imported (see lazy-builtins.ts).
import { nodeCrypto } from './lazy-builtins.js';

const POOL_BYTES = 16_384;
const ZERO_16 = '0000000000000000';
const ZERO_32 = ZERO_16 + ZERO_16;

let pool = '';
let position = 0;

function take(chars: number): string {
  if (position + chars > pool.length) {
    pool = nodeCrypto().randomFillSync(Buffer.allocUnsafe(POOL_BYTES)).toString('hex');
    position = 0;
  }
  const id = pool.slice(position, position + chars);
  position += chars;
  return id;
}

/** 64 random bits as 16 lowercase hex characters: transaction and span ids. Never all zeros. */
export function spanId(): string {
  const id = take(16);
  return id === ZERO_16 ? spanId() : id;
}

/** 128 random bits as 32 lowercase hex characters: trace and error ids. Never all zeros. */
export function traceId(): string {
  const id = take(32);
  return id === ZERO_32 ? traceId() : id;
}
