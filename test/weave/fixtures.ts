// The behavioural fixtures of fixtures/weave/: one folder each, a `main.*` entry, more source files if needed, and
// fixture.json saying what weaving must produce.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WeaveOptions } from '../../transformer/core/types.js';

export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/weave/', import.meta.url));

/** [parent span name, or "-" for the transaction; span name; outcome]. */
export type ExpectedSpan = [parent: string, name: string, outcome: 'success' | 'failure' | 'unknown'];

export interface FixtureSpec {
  /** What the fixture checks, in a sentence. */
  about: string;
  /** Weave options (onWarning excluded: the runner collects warnings). */
  options?: Omit<WeaveOptions, 'onWarning'>;
  /** Every span the woven program records, in any order. */
  spans: ExpectedSpan[];
  /** Span name -> "type.subtype.action" (or "type"), for fixtures that set types. */
  types?: Record<string, string>;
  /** Labels (as the span event's context.tags) by span name. */
  labels?: Record<string, Record<string, string | number | boolean>>;
  /** Expected warnings as "file:line:column message-substring" (column 0-based); none when absent. */
  warnings?: string[];
  /** Nothing in the fixture is woven: every file comes back untouched. */
  untouched?: boolean;
}

export interface Fixture {
  name: string;
  dir: string;
  spec: FixtureSpec;
  /** Source file names (relative to dir), the entry first. */
  files: string[];
  entry: string;
}

const SOURCE_RE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = join(FIXTURES_DIR, name);
      const spec = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8')) as FixtureSpec;
      const files = readdirSync(dir).filter((file) => SOURCE_RE.test(file));
      const entry = files.find((file) => /^main\./.test(file));
      if (!entry) throw new Error(`fixture ${name} has no main.* entry`);
      return { name, dir, spec, entry, files: [entry, ...files.filter((f) => f !== entry).sort()] };
    });
}

export function readSource(fixture: Fixture, file: string): string {
  return readFileSync(join(fixture.dir, file), 'utf8');
}

/** The file name node runs: TypeScript extensions become their JavaScript ones. */
export function compiledName(file: string): string {
  return file
    .replace(/\.ts$|\.tsx$|\.jsx$/, '.js')
    .replace(/\.mts$/, '.mjs')
    .replace(/\.cts$/, '.cjs');
}
