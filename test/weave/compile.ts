// Compiles a fixture for one front end into the workspace: the original and the woven program side by side.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { WeaveWarning } from '../../transformer/core/types.js';
import { compiledName, type Fixture, readSource } from './fixtures.js';
import type { FrontEndUnderTest } from './front-ends.js';

export interface CompiledFixture {
  originalEntry: string;
  wovenEntry: string;
  /** "file:line:column message" for every warning the woven compile produced. */
  warnings: string[];
}

export function compileFixture(fixture: Fixture, frontEnd: FrontEndUnderTest, root: string): CompiledFixture {
  const originalDir = join(root, frontEnd.name, 'original', fixture.name);
  const wovenDir = join(root, frontEnd.name, 'woven', fixture.name);
  const warnings: string[] = [];
  for (const file of fixture.files) {
    const source = readSource(fixture, file);
    const onWarning = (w: WeaveWarning) => warnings.push(`${file}:${w.line}:${w.column} ${w.message}`);
    write(
      join(originalDir, compiledName(file)),
      frontEnd.compile(source, join(fixture.dir, file), undefined),
    );
    const options = { ...fixture.spec.options, onWarning };
    write(join(wovenDir, compiledName(file)), frontEnd.compile(source, join(fixture.dir, file), options));
  }
  return {
    originalEntry: join(originalDir, compiledName(fixture.entry)),
    wovenEntry: join(wovenDir, compiledName(fixture.entry)),
    warnings,
  };
}

function write(path: string, code: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
}
