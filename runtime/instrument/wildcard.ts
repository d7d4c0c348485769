// Elastic's WildcardMatcher (../shared/spec/AGENT-RULES.md section 12): `*` matches any sequence,
// `?` is an ordinary character, matching ignores case unless the pattern starts with `(?-i)`.
// Patterns are split at `*` once and matched by prefix, suffix and in-order infix search, so a
// hostile header name cannot make matching slow (no regular expression, no backtracking).

const CASE_SENSITIVE_PREFIX = '(?-i)';

/** One compiled pattern: `matches(name)` says whether the name is covered. */
export class WildcardMatcher {
  private readonly caseSensitive: boolean;
  private readonly parts: readonly string[];
  private readonly hasWildcard: boolean;

  constructor(readonly pattern: string) {
    this.caseSensitive = pattern.startsWith(CASE_SENSITIVE_PREFIX);
    const body = this.caseSensitive ? pattern.slice(CASE_SENSITIVE_PREFIX.length) : pattern;
    const folded = this.caseSensitive ? body : body.toLowerCase();
    this.parts = folded.split('*');
    this.hasWildcard = this.parts.length > 1;
  }

  matches(name: string): boolean {
    const text = this.caseSensitive ? name : name.toLowerCase();
    const parts = this.parts;
    if (!this.hasWildcard) return text === parts[0];
    const prefix = parts[0] ?? '';
    const suffix = parts[parts.length - 1] ?? '';
    if (text.length < prefix.length + suffix.length) return false;
    if (!text.startsWith(prefix) || !text.endsWith(suffix)) return false;
    // Each middle part must appear, in order, between the prefix and the suffix.
    let from = prefix.length;
    const until = text.length - suffix.length;
    for (let i = 1; i < parts.length - 1; i++) {
      const part = parts[i] ?? '';
      if (part === '') continue;
      const at = text.indexOf(part, from);
      if (at < 0 || at + part.length > until) return false;
      from = at + part.length;
    }
    return true;
  }
}

/** Compiles a pattern list; `anyMatches(list, name)` is true when one of them covers the name. */
export function compileWildcards(patterns: readonly string[]): WildcardMatcher[] {
  return patterns.filter((p) => typeof p === 'string').map((p) => new WildcardMatcher(p.trim()));
}

export function anyMatches(matchers: readonly WildcardMatcher[], name: string): boolean {
  for (const matcher of matchers) if (matcher.matches(name)) return true;
  return false;
}
