// The README's quick start and index must stay true: in-page links land on headings (other sections are
// written and renamed by others), linked files exist, every front end is listed, and the demo options the
// README documents are the ones the demo accepts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_USAGE } from '../../scripts/demo/main.js';
import { repoRoot } from '../helpers/spec.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
// Code blocks hold `#` comments and links that are not headings or links.
const prose = readme.replace(/```[\s\S]*?```/g, '');

/** GitHub's heading anchors: lower case, punctuation other than `-` dropped, spaces to `-`. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

describe('README', () => {
  const anchors = new Set([...prose.matchAll(/^#{1,6} (.+)$/gm)].map((match) => slug(match[1]!.trim())));

  it('links only to headings that exist', () => {
    const links = [...prose.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((link) => !anchors.has(link))).toEqual([]);
  });

  it('links only to files that exist', () => {
    const files = [...prose.matchAll(/\]\((?!#|https?:)([^)]+)\)/g)].map((match) => match[1]!);
    expect(files.filter((file) => !existsSync(join(repoRoot, file)))).toEqual([]);
  });

  it('indexes every front end with its entry point', () => {
    const index = prose.slice(
      prose.indexOf('## Using apm-weaver in your app'),
      prose.indexOf('### What gets woven'),
    );
    for (const entry of [
      'vite',
      'rollup',
      'rolldown',
      'webpack',
      'rspack',
      'esbuild',
      'babel',
      'typescript',
    ]) {
      expect(index).toContain(`\`apm-weaver/${entry}\``);
    }
    expect(index).toContain('node --import apm-weaver/register');
  });

  it('documents the demo options the demo accepts', () => {
    const accepted = [...DEMO_USAGE.matchAll(/^ {2}(--[a-z]+)/gm)].map((match) => match[1]);
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Using apm-weaver'));
    const documented = [...quickStart.matchAll(/^\| `(--[a-z]+)/gm)].map((match) => match[1]);
    expect(documented).toEqual(accepted);
  });
});
