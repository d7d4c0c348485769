import type { CandidateFunction, SourceComment } from './types.js';

/**
 * Comments "right before" an offset: the run of comments separated from it, and from each other, by whitespace only.
 * Returns a map from the offset of the first token after each run to the comments of that run.
 */
export function commentsByFollowingToken(
  code: string,
  comments: readonly SourceComment[],
): Map<number, SourceComment[]> {
  const sorted = [...comments].sort((a, b) => a.start - b.start);
  const byToken = new Map<number, SourceComment[]>();
  let run: SourceComment[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const comment = sorted[i] as SourceComment;
    run.push(comment);
    const next = skipWhitespace(code, comment.end);
    const following = sorted[i + 1];
    if (following && following.start === next) continue;
    const existing = byToken.get(next);
    byToken.set(next, existing ? [...existing, ...run] : run);
    run = [];
  }
  return byToken;
}

function skipWhitespace(code: string, from: number): number {
  let i = from;
  while (i < code.length && /\s/.test(code[i] as string)) i++;
  return i;
}

/** The comments standing right before any of the candidate's anchors (each comment once, in source order). */
export function leadingComments(
  candidate: CandidateFunction,
  byToken: ReadonlyMap<number, SourceComment[]>,
): SourceComment[] {
  const found = new Set<SourceComment>();
  for (const anchor of candidate.anchors) for (const comment of byToken.get(anchor) ?? []) found.add(comment);
  return [...found].sort((a, b) => a.start - b.start);
}
