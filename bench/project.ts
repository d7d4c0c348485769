// Generated TypeScript sources for the build-cost benchmarks: one module shape (an interface, a class with sync
// and async methods, functions, an arrow), optionally marked with @apm-span, and a 1000-file project of them.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The body of module `i`; `marked` puts @apm-span before a function and a method. */
export function moduleBody(i: number, marked: boolean): string {
  const mark = marked ? '// @apm-span\n' : '';
  return `export interface Item${i} {
  id: number;
  name: string;
  tags: string[];
}

export class Store${i} {
  private readonly items = new Map<number, Item${i}>();

  add(item: Item${i}): void {
    this.items.set(item.id, item);
  }

  ${mark}find(id: number): Item${i} | undefined {
    return this.items.get(id);
  }

  async load(ids: readonly number[]): Promise<Item${i}[]> {
    const found: Item${i}[] = [];
    for (const id of ids) {
      const item = this.find(id) ?? { id, name: \`item \${id}\`, tags: [] };
      found.push(item);
    }
    return found;
  }
}

${mark}export function score${i}(item: Item${i}, weight = ${i % 7}): number {
  let total = item.id * weight;
  for (const tag of item.tags) total += tag.length;
  return total;
}

export const label${i} = (item: Item${i}): string => \`\${item.id}:\${item.name}\`;
`;
}

/** One large file of `count` module bodies (unique names), every one marked: the weave throughput corpus. */
export function throughputCorpus(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(moduleBody(i, true));
  return parts.join('\n');
}

/**
 * Writes a project of `files` modules plus src/index.ts importing them all; modules whose index is in `markedFiles`
 * carry markers. Each module also imports its predecessor, so the bundler walks a real graph. Returns the entry.
 */
export function writeProject(dir: string, files: number, markedFiles: ReadonlySet<number>): string {
  rmSync(dir, { recursive: true, force: true });
  const src = join(dir, 'src');
  mkdirSync(src, { recursive: true });
  const name = (i: number) => `m${String(i).padStart(4, '0')}`;
  for (let i = 0; i < files; i++) {
    const importPrevious = i > 0 ? `import { score${i - 1} } from './${name(i - 1)}.js';\n` : '';
    const usePrevious =
      i > 0 ? `\nexport const chained${i} = (item: Item${i}): number => score${i - 1}(item) + 1;\n` : '';
    writeFileSync(
      join(src, `${name(i)}.ts`),
      `${importPrevious}${moduleBody(i, markedFiles.has(i))}${usePrevious}`,
    );
  }
  const imports: string[] = [];
  const uses: string[] = [];
  for (let i = 0; i < files; i++) {
    imports.push(`import { Store${i}, label${i} } from './${name(i)}.js';`);
    uses.push(
      `  new Store${i}().add({ id: ${i}, name: label${i}({ id: ${i}, name: 'x', tags: [] }), tags: [] });`,
    );
  }
  const entry = join(src, 'index.ts');
  writeFileSync(entry, `${imports.join('\n')}\n\nexport function main(): void {\n${uses.join('\n')}\n}\n`);
  return entry;
}
