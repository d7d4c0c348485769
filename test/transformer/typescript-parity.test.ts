import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { extractCandidates } from '../../transformer/babel/extract.js';
import { parseForWeaving } from '../../transformer/babel/parse.js';
import { qualifiedName } from '../../transformer/core/names.js';
import type { CandidateFunction, SourceComment } from '../../transformer/core/types.js';
import { findCandidates } from '../../transformer/ts/candidates.js';
import { collectComments } from '../../transformer/ts/comments.js';

/**
 * The TypeScript front end must describe every file exactly as the Babel front end does (the core decides from
 * these descriptions, so equal descriptions mean equal weaving): the same functions with the same names, kinds and
 * facts, the same comments, and anchors that reach the same marker comments.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function corpus(): Array<[string, string]> {
  const files: Array<[string, string]> = [];
  const fixtures = join(ROOT, 'fixtures/weave');
  for (const name of readdirSync(fixtures)) {
    for (const file of readdirSync(join(fixtures, name))) {
      if (/\.[cm]?[jt]sx?$/.test(file))
        files.push([`${name}/${file}`, readFileSync(join(fixtures, name, file), 'utf8')]);
    }
  }
  const project = join(ROOT, 'fixtures/tspc/project/src');
  for (const file of readdirSync(project))
    files.push([`tspc/${file}`, readFileSync(join(project, file), 'utf8')]);
  files.push(['snippets.ts', SNIPPETS], ['markers.ts', MARKERS]);
  return files;
}

const SNIPPETS = `
export async function* stream() {}
export default class { method() {} static async load() {} }
const store = { nested: { deep() {} }, get size() { return 1; }, set size(v) {}, arrow: () => 1, ['lit']() {}, [Symbol.iterator]() {} };
this.handler = function () {};
Cart.prototype.add = function named() {};
exports.run = async () => {};
module.exports.stop = () => {};
function outer(cb = () => 1, { inner = function () {} } = {}) { const local = (x) => x; return [cb, inner, local]; }
class Shop extends Base {
  static #count = () => 0;
  #secret() { return super.x; }
  *gen() { yield super.y; }
  constructor(a, b) { super(a); var b; }
}
const Anon = class { m() {} };
setTimeout(function () {}, 1);
[1].map(async (x) => x);
abstract class Shape { abstract area(): number; protected abstract get side(): number; }
declare function ambient(): void;
function over(a: string): string;
function over(a: number): number;
function over(a: any) { return a; }
`;

/** Markers in every place a marker may stand, and a few where it may not. */
const MARKERS = `
/** @apm-span */
export async function a() {}
// @apm-span
export default function () {}
// @apm-span
export const b = () => 1, notB = () => 2;
/* @apm-span */ const c = (() => 3) as () => number;
class K {
  // @apm-span
  @dec method() {}
  /** @apm-span */
  static async *gen() {}
  // @apm-span
  field = function () {};
  // @apm-span
  overloaded(a: string): void;
  overloaded(a: any) {}
}
const o = {
  // @apm-span
  m() {},
  // @apm-span
  p: async () => {},
};
// @apm-span
o.q = function () {};
call(/* @apm-span */ () => {}, // @apm-span
  function named() {});
// @apm-span
const value = 42;
`;

interface Description {
  name: string | undefined;
  /** Where warnings about the function point. */
  start: string;
  kind: string;
  flags: string;
  redeclared: string | undefined;
  unsupported: boolean;
  markerComments: number[];
}

function describeAll(
  candidates: CandidateFunction[],
  comments: SourceComment[],
  code: string,
): Description[] {
  return [...candidates]
    .sort((a, b) => a.start.offset - b.start.offset)
    .map((c) => ({
      name: qualifiedName(c.name),
      start: `${c.start.line}:${c.start.column}`,
      kind: c.kind,
      flags: [
        c.isAsync && 'async',
        c.isGenerator && 'generator',
        c.hasExpressionBody && 'expression',
        !c.hasBody && 'bodiless',
        c.usesSuper && 'super',
      ]
        .filter(Boolean)
        .join(' '),
      redeclared: c.redeclaredName,
      unsupported: c.unsupported !== undefined,
      markerComments: commentsBefore(c.anchors, comments, code),
    }));
}

/** The comments that end right before one of the anchors (only whitespace between): what a marker there would bind to. */
function commentsBefore(anchors: number[], comments: SourceComment[], code: string): number[] {
  return comments.filter((c) => anchors.some((a) => code.slice(c.end, a).trim() === '')).map((c) => c.start);
}

describe('the TypeScript and Babel front ends describe files the same way', () => {
  for (const [name, code] of corpus()) {
    it(name, () => {
      const parsed = parseForWeaving(code, name);
      if (!parsed.ok) throw new Error(`Babel cannot parse ${name}: ${parsed.message}`);
      const babel = extractCandidates(parsed.ast);
      const file = ts.createSourceFile(name, code, ts.ScriptTarget.ES2022, true, scriptKind(name));
      const mine = findCandidates(ts, file, { target: ts.ScriptTarget.ES2022 });
      const comments = collectComments(ts, file);

      expect(comments.map((c) => [c.start, c.end, c.text, c.line, c.column])).toEqual(
        babel.comments.map((c) => [c.start, c.end, c.text, c.line, c.column]),
      );
      expect(describeAll(mine.candidates, comments, code)).toEqual(
        describeAll(babel.candidates, babel.comments, code),
      );
    });
  }
});

function scriptKind(id: string): ts.ScriptKind {
  if (id.endsWith('x')) return id.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.JSX;
  return /\.[cm]?ts$/.test(id) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
}
