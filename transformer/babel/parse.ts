import { type ParserOptions, type ParserPlugin, parse } from '@babel/parser';
import type { File } from '@babel/types';

/**
 * Babel parser plugins by file extension. TypeScript files first try legacy decorators (TypeScript's
 * `experimentalDecorators`, the only form with parameter decorators), then standard ones; JavaScript the reverse.
 */
export function parserPluginSets(id: string): ParserPlugin[][] {
  const path = id.replace(/\?.*$/, '');
  const standard: ParserPlugin = ['decorators', {}];
  if (/\.[cm]?ts$/.test(path))
    return [
      ['typescript', 'decorators-legacy'],
      ['typescript', standard],
    ];
  if (/\.tsx$/.test(path))
    return [
      ['typescript', 'jsx', 'decorators-legacy'],
      ['typescript', 'jsx', standard],
    ];
  return [
    ['jsx', standard],
    ['jsx', 'decorators-legacy'],
  ];
}

function sourceType(id: string): ParserOptions['sourceType'] {
  const path = id.replace(/\?.*$/, '');
  if (/\.m[jt]s$/.test(path)) return 'module';
  if (/\.c[jt]s$/.test(path)) return 'script';
  return 'unambiguous';
}

export type ParseResult =
  | { ok: true; ast: File }
  | { ok: false; line: number; column: number; message: string };

/** Parses for weaving; never throws. A failure reports the first plugin set's error (the likelier intent). */
export function parseForWeaving(code: string, id: string): ParseResult {
  let firstError: unknown;
  for (const plugins of parserPluginSets(id)) {
    try {
      const ast = parse(code, {
        sourceType: sourceType(id),
        plugins,
        allowReturnOutsideFunction: sourceType(id) !== 'module',
        sourceFilename: id,
      });
      return { ok: true, ast };
    } catch (error) {
      firstError ??= error;
    }
  }
  const loc = (firstError as { loc?: { line: number; column: number } }).loc;
  const message = firstError instanceof Error ? firstError.message : String(firstError);
  return { ok: false, line: loc?.line ?? 1, column: loc?.column ?? 0, message: `cannot parse: ${message}` };
}
