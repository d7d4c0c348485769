// Seeded random values for tests: the same sequence on every run, so a failure can be replayed.

/** A small deterministic generator (mulberry32): the same values on every run. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hex(next: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += '0123456789abcdef'[Math.floor(next() * 16)];
  return text;
}

export function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}
