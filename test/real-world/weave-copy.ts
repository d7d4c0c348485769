// Weaves the source files of one library copy in place through one front end, with every function selected
// (`functions: ["**"]`, as a bundler plugin would), and records per file what was woven, whether the woven code
// still compiles, and whether weaving it a second time changes anything.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compileFunction } from 'node:vm';
import type { WeaveWarning } from '../../transformer/index.js';
import type { FrontEndUnderTest } from '../weave/front-ends.js';

export interface WovenFile {
  file: string;
  /** Qualified names of the functions woven in this file, in order; empty when it was left as published. */
  woven: string[];
  /** The front end run again on its own output does more than compile it (weaving twice must change nothing). */
  rewovenChanged: boolean;
  /** Why the woven code does not parse as a script (all these libraries are CommonJS), if it does not. */
  syntaxError?: string;
}

export interface WovenCopy {
  frontEnd: string;
  /** The package folder. */
  dir: string;
  files: WovenFile[];
  /** Warnings reported while weaving, their `file` relative to the package. */
  warnings: WeaveWarning[];
}

/**
 * One `defineSpan("<name>", ...)` declaration per woven function at the top of a woven file. Every front end emits
 * it, so the woven functions can be read off the output of any of them (`weave()`'s own `woven` list is only
 * returned by the magic-string front end).
 */
const SPAN_DEFINITION = /\bvar __apm\w*S\d+ = \w+\(("(?:[^"\\\n]|\\.)*")/g;

export function wovenNames(code: string): string[] {
  return [...code.matchAll(SPAN_DEFINITION)].map((match) => JSON.parse(match[1] as string) as string);
}

function scriptSyntaxError(code: string, filename: string): string | undefined {
  try {
    // Compiled the way Node's CommonJS loader compiles a module: as a function body, never run here.
    compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename });
    return undefined;
  } catch (error) {
    // The stack's head is `file:line`, the source line and a caret: the message alone may name a later symptom.
    const where = error instanceof Error ? (error.stack ?? '').split('\n').slice(0, 3).join('\n') : '';
    return `${String(error)}\n${where}`;
  }
}

export function weaveCopyInPlace(dir: string, sources: string[], frontEnd: FrontEndUnderTest): WovenCopy {
  const warnings: WeaveWarning[] = [];
  const options = {
    functions: ['**'],
    onWarning: (warning: WeaveWarning) => warnings.push({ ...warning, file: relative(dir, warning.file) }),
  };
  const files = sources.map((file): WovenFile => {
    const path = join(dir, file);
    const output = frontEnd.compile(readFileSync(path, 'utf8'), path, options);
    const woven = wovenNames(output);
    if (woven.length === 0) return { file, woven, rewovenChanged: false };
    writeFileSync(path, output);
    // Each front end compiles (Babel and TypeScript reprint) even without weaving: compare like with like.
    const rewovenChanged =
      frontEnd.compile(output, path, options) !== frontEnd.compile(output, path, undefined);
    return { file, woven, rewovenChanged, syntaxError: scriptSyntaxError(output, path) };
  });
  return { frontEnd: frontEnd.name, dir, files, warnings };
}
