// The WildcardMatcher against every case in ../shared/spec/json-specs/wildcard_matcher_tests.json.
import { describe, expect, it } from 'vitest';
import { anyMatches, compileWildcards, WildcardMatcher } from '../../runtime/instrument/wildcard.js';
import { readSpecJson } from '../helpers/spec.js';

type Cases = Record<string, Record<string, Record<string, boolean>>>;
const suites = readSpecJson<Cases>('json-specs', 'wildcard_matcher_tests.json');

describe('WildcardMatcher (spec vectors)', () => {
  for (const [suite, patterns] of Object.entries(suites)) {
    for (const [pattern, inputs] of Object.entries(patterns)) {
      for (const [input, expected] of Object.entries(inputs)) {
        it(`${suite}: ${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(input)}`, () => {
          expect(new WildcardMatcher(pattern).matches(input)).toBe(expected);
        });
      }
    }
  }
});

describe('compileWildcards / anyMatches', () => {
  it('matches when any pattern of the list covers the name', () => {
    const list = compileWildcards(['password', '*token*', 'set-cookie']);
    expect(anyMatches(list, 'X-Auth-Token')).toBe(true);
    expect(anyMatches(list, 'Set-Cookie')).toBe(true);
    expect(anyMatches(list, 'content-type')).toBe(false);
    expect(anyMatches([], 'password')).toBe(false);
  });

  it('stays quick on a long hostile name (no backtracking)', () => {
    const matcher = new WildcardMatcher('*a*a*a*a*a*a*a*a*b');
    expect(matcher.matches('a'.repeat(100_000))).toBe(false);
  });
});
