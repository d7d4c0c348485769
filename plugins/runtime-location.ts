import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The folder of the runtime the woven code will import, resolved from the app (the working directory), as an
 * absolute glob. The runtime must never be woven itself (a rule such as "*" would otherwise make every span open a
 * span); inside node_modules it is skipped anyway, but a linked or self-referenced copy is not. Undefined when the
 * runtime cannot be resolved from there: the bundler will report that clearly enough when it resolves the import.
 */
export function runtimeExcludeGlob(specifier: string, fromDir = process.cwd()): string | undefined {
  try {
    const entry = createRequire(join(fromDir, 'package.json')).resolve(specifier);
    return `${dirname(entry).replace(/\\/g, '/')}/**`;
  } catch {
    return undefined;
  }
}
