// Paths to the vendored Elastic spec data (../shared/spec beside the repo, in CI as on a developer machine).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const specDir = resolve(repoRoot, '../shared/spec');

export function specPath(...parts: string[]): string {
  return join(specDir, ...parts);
}

/** Reads a spec JSON file, dropping the leading `//` comment lines some of them carry. */
export function readSpecJson<T = unknown>(...parts: string[]): T {
  const text = readFileSync(specPath(...parts), 'utf8');
  const json = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n');
  return JSON.parse(json) as T;
}
