// Numbers written as ASCII digits straight into a byte buffer, exactly as JSON.stringify writes them, for the
// transport worker's span lines (worker-span-line.ts): converting numbers to strings and the strings to bytes was the
// largest single cost per span there. Digits go two at a time from a table of pairs.

/** 10^width: the numbers below it have at most `width` digits. */
const DIGIT_LIMITS = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];
// Timestamps are integer microseconds; durations are milliseconds rounded to the microsecond (clock.ts). For those,
// the digits are written here: number-to-string conversion was the largest single cost per span.
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_MILLIS = 1e9;

/** The two ASCII digits of 0-99, tens first: numbers are written two digits per step. */
const DIGIT_PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  DIGIT_PAIRS[2 * i] = 48 + Math.floor(i / 10);
  DIGIT_PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** Writes `value` (an integer, 0 <= value < 1e9) in `width` digits, zero-padded. */
function writeDigits(out: Uint8Array, at: number, value: number, width: number): number {
  let rest = value;
  let i = width;
  while (i >= 2) {
    const hundredth = (rest / 100) | 0;
    const pair = 2 * (rest - hundredth * 100);
    out[at + i - 2] = DIGIT_PAIRS[pair] as number;
    out[at + i - 1] = DIGIT_PAIRS[pair + 1] as number;
    rest = hundredth;
    i -= 2;
  }
  if (i === 1) out[at] = 48 + rest - ((rest / 10) | 0) * 10;
  return at + width;
}

/** Writes `value` (an integer, 0 <= value < 1e8) in 8 digits, zero-padded: four pairs, no loop. */
export function writeEight(out: Uint8Array, at: number, value: number): void {
  const high = (value / 10000) | 0;
  const low = value - high * 10000;
  const a = (high / 100) | 0;
  const b = high - a * 100;
  const c = (low / 100) | 0;
  const d = low - c * 100;
  out[at] = DIGIT_PAIRS[2 * a] as number;
  out[at + 1] = DIGIT_PAIRS[2 * a + 1] as number;
  out[at + 2] = DIGIT_PAIRS[2 * b] as number;
  out[at + 3] = DIGIT_PAIRS[2 * b + 1] as number;
  out[at + 4] = DIGIT_PAIRS[2 * c] as number;
  out[at + 5] = DIGIT_PAIRS[2 * c + 1] as number;
  out[at + 6] = DIGIT_PAIRS[2 * d] as number;
  out[at + 7] = DIGIT_PAIRS[2 * d + 1] as number;
}

/** Writes an integer 0 <= value < 1e9 in as many digits as it has. */
function writeSmall(out: Uint8Array, at: number, value: number): number {
  let width = 1;
  while (width < 9 && value >= (DIGIT_LIMITS[width] as number)) width++;
  return writeDigits(out, at, value, width);
}

/** Writes a safe integer >= 0 as JavaScript does (plain digits below 1e21). */
export function writeInteger(out: Uint8Array, at: number, value: number): number {
  if (value < 1e8) return writeSmall(out, at, value);
  const high = digitsAboveEight(value);
  const end = writeInteger(out, at, high);
  writeEight(out, end, value - high * 1e8);
  return end + 8;
}

/** An integer >= 1e8 without its last eight digits. */
export function digitsAboveEight(value: number): number {
  const high = Math.floor(value / 1e8);
  // value / 1e8 may round up to the next integer when value is just below a multiple of 1e8.
  return value - high * 1e8 < 0 ? high - 1 : high;
}

/**
 * Writes a duration in milliseconds as JSON.stringify does: digit by digit when it has at most three decimals
 * (clock.ts rounds durations to the microsecond; see writeNumber for why the digits are right), else as writeNumber.
 */
export function writeMillis(out: Uint8Array, at: number, value: number): number {
  if (!(value >= 0 && value < MAX_MILLIS)) return writeNumber(out, at, value);
  const micros = Math.round(value * 1000);
  if (micros / 1000 !== value) return writeText(out, at, value);
  // Both below 1e9 (int32): the whole milliseconds and the three decimals.
  const whole = value | 0;
  const fraction = (micros - whole * 1000) | 0;
  const point = writeSmall(out, at, whole);
  if (fraction === 0) return point;
  out[point] = 46; // '.'
  const tens = (fraction / 10) | 0;
  if (fraction - tens * 10 !== 0) return writeDigits(out, point + 1, fraction, 3);
  const hundreds = (fraction / 100) | 0;
  if (tens - hundreds * 10 !== 0) return writeDigits(out, point + 1, tens, 2);
  out[point + 1] = 48 + hundreds;
  return point + 2;
}

/**
 * A number as JSON.stringify writes it: its shortest round-trip form, or null when JSON has none. An integer, or a
 * number of milliseconds with at most three decimals, is written digit by digit: for m / 1000 (m an integer), the
 * shortest decimal that reads back as the same double is m's digits with the point three places in and trailing
 * zeros dropped, because doubles below 1e9 are far closer together than 0.001. Anything else goes through
 * JavaScript's own conversion.
 */
export function writeNumber(out: Uint8Array, at: number, value: number): number {
  if (value >= 0 && value <= MAX_SAFE && Number.isInteger(value)) return writeInteger(out, at, value);
  return value >= 0 && value < MAX_MILLIS ? writeMillis(out, at, value) : writeText(out, at, value);
}

/** JavaScript's own conversion, or null where JSON has no number. */
function writeText(out: Uint8Array, at: number, value: number): number {
  const text = Number.isFinite(value) ? `${value}` : 'null';
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
}
