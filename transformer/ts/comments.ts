import type * as TS from 'typescript';
import type { SourceComment } from '../core/types.js';
import type { TypeScript } from './typescript-api.js';

/**
 * Every comment of the file, as the core wants them. TypeScript keeps comments in the trivia between tokens, so we
 * read the trivia at each node's start and end (and each node list's): leading ranges give the comments after a line
 * break, trailing ranges the ones on the same line. Trivia inside JSX text is text, not comments.
 */
export function collectComments(ts: TypeScript, sourceFile: TS.SourceFile): SourceComment[] {
  const text = sourceFile.text;
  const found = new Map<number, TS.CommentRange>();
  const jsxTexts: Array<{ pos: number; end: number }> = [];
  const record = (ranges: TS.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) found.set(range.pos, range);
  };
  const readTriviaAt = (pos: number) => {
    record(ts.getLeadingCommentRanges(text, pos));
    record(ts.getTrailingCommentRanges(text, pos));
  };
  const visit = (node: TS.Node): void => {
    if (node.kind === ts.SyntaxKind.JsxText) {
      jsxTexts.push({ pos: node.pos, end: node.end });
      return;
    }
    readTriviaAt(node.pos);
    readTriviaAt(node.end);
    ts.forEachChild(node, visit, (nodes) => {
      readTriviaAt(nodes.pos);
      readTriviaAt(nodes.end);
      for (const child of nodes) visit(child);
    });
  };
  visit(sourceFile);

  const insideJsxText = (pos: number) => jsxTexts.some((range) => pos >= range.pos && pos < range.end);
  return [...found.values()]
    .filter((range) => !insideJsxText(range.pos))
    .sort((a, b) => a.pos - b.pos)
    .map((range) => toSourceComment(ts, sourceFile, range));
}

function toSourceComment(ts: TypeScript, sourceFile: TS.SourceFile, range: TS.CommentRange): SourceComment {
  const raw = sourceFile.text.slice(range.pos, range.end);
  const body = range.kind === ts.SyntaxKind.SingleLineCommentTrivia ? raw.slice(2) : raw.slice(2, -2);
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(range.pos);
  return { text: body, start: range.pos, end: range.end, line: line + 1, column: character };
}
