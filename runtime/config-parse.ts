// Parsers for configuration values in Elastic's formats (../shared/spec/AGENT-RULES.md section 15).
// Each returns the parsed value, or undefined when the input is invalid (the caller warns and ignores it).
// Inputs are strings from the environment, or typed values from code.
import type { LogLevel } from './config-types.js';
import { LOG_LEVELS } from './logger.js';

export type Parser<T> = { parse(raw: unknown): T | undefined; expected: string };

const text = (raw: unknown): string | undefined =>
  typeof raw === 'string'
    ? raw.trim()
    : typeof raw === 'number' && Number.isFinite(raw)
      ? String(raw)
      : undefined;

export const stringValue: Parser<string> = { expected: 'a string', parse: (raw) => text(raw) };

export const booleanValue: Parser<boolean> = {
  expected: '"true" or "false"',
  parse(raw) {
    if (typeof raw === 'boolean') return raw;
    const s = text(raw)?.toLowerCase();
    return s === 'true' ? true : s === 'false' ? false : undefined;
  },
};

export function integerValue(min: number): Parser<number> {
  return {
    expected: `an integer >= ${min}`,
    parse(raw) {
      const s = text(raw);
      if (s === undefined || !/^-?\d+$/.test(s)) return undefined;
      const n = Number(s);
      return n >= min ? n : undefined;
    },
  };
}

/** Sample rates: [0, 1], rounded half away from zero to 4 places; (0, 0.0001) becomes 0.0001. */
export const rateValue: Parser<number> = {
  expected: 'a number between 0 and 1',
  parse(raw) {
    const s = text(raw);
    if (s === undefined || s === '' || !/^[+]?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(s)) return undefined;
    const n = Number(s);
    if (!(n >= 0 && n <= 1)) return undefined;
    return n > 0 && n < 0.0001 ? 0.0001 : Math.round(n * 10000) / 10000;
  },
};

const DURATION_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** Durations in milliseconds: `10s`, `500ms`, `1m`; a bare number is in `defaultUnit`. */
export function durationValue(defaultUnit: 'ms' | 's', allowNegative = false): Parser<number> {
  return {
    expected: `a${allowNegative ? '' : ' non-negative'} duration such as "10s", "500ms" or "1m"`,
    parse(raw) {
      const match = /^(-?)(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text(raw) ?? '');
      if (!match || (match[1] === '-' && !allowNegative)) return undefined;
      const ms = Number(match[2]) * (DURATION_MS[match[3] ?? defaultUnit] ?? 1);
      return match[1] === '-' ? -ms : ms;
    },
  };
}

const SIZE_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Sizes in bytes: `768kb`, `1mb` (case-insensitive, 1024 steps); a bare number is bytes. */
export const sizeValue: Parser<number> = {
  expected: 'a size such as "768kb" or "1mb"',
  parse(raw) {
    const match = /^(\d+)(b|kb|mb|gb)?$/i.exec(text(raw) ?? '');
    if (!match) return undefined;
    return Number(match[1]) * (SIZE_BYTES[(match[2] ?? 'b').toLowerCase()] ?? 1);
  },
};

/** Lists: an array of strings, or a comma-separated string (whitespace trimmed, empty items dropped). */
export const listValue: Parser<string[]> = {
  expected: 'a comma-separated list',
  parse(raw) {
    if (Array.isArray(raw))
      return raw.every((x) => typeof x === 'string') ? raw.map((x) => x.trim()) : undefined;
    const s = text(raw);
    return s === undefined
      ? undefined
      : s
          .split(',')
          .map((x) => x.trim())
          .filter((x) => x !== '');
  },
};

type Scalar = string | number | boolean;

/** Mappings: a plain object of scalars, or `k=v,k2=v2`. */
export const mappingValue: Parser<Record<string, Scalar>> = {
  expected: 'k=v pairs separated by commas',
  parse(raw) {
    const out: Record<string, Scalar> = {};
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
        out[k] = v;
      }
      return out;
    }
    const s = text(raw);
    if (s === undefined) return undefined;
    for (const pair of s.split(',')) {
      if (pair.trim() === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) return undefined;
      out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
    return out;
  },
};

export const logLevelValue: Parser<LogLevel> = {
  expected: LOG_LEVELS.join(', '),
  parse(raw) {
    const s = text(raw)?.toLowerCase();
    const level = s === 'warn' ? 'warning' : s;
    return LOG_LEVELS.find((l) => l === level);
  },
};

export const transportThreadValue: Parser<'auto' | 'worker' | 'main'> = {
  expected: '"auto", "worker" or "main"',
  parse(raw) {
    const s = text(raw)?.toLowerCase();
    return s === 'auto' || s === 'worker' || s === 'main' ? s : undefined;
  },
};

export const urlValue: Parser<string> = {
  expected: 'an http: or https: URL',
  parse(raw) {
    const s = text(raw);
    if (!s || !URL.canParse(s)) return undefined;
    const url = new URL(s);
    return url.protocol === 'http:' || url.protocol === 'https:' ? s : undefined;
  },
};

/** Shows a bad value in a warning without flooding the log. */
export function describeValue(raw: unknown): string {
  let s: string;
  try {
    s =
      typeof raw === 'string'
        ? JSON.stringify(raw)
        : typeof raw === 'symbol'
          ? raw.toString()
          : String(JSON.stringify(raw) ?? raw);
  } catch {
    s = Object.prototype.toString.call(raw);
  }
  return s.length > 100 ? `${s.slice(0, 99)}…` : s;
}
