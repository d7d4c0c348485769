import Module from 'node:module';
import type { LoadTimeWeaver } from './load-time-weave.js';

interface CompilableModule {
  _compile(content: string, filename: string): unknown;
}
type ExtensionHandler = (this: unknown, module: CompilableModule, filename: string) => unknown;

/**
 * Weaves CommonJS modules on the require path: Node 20 has no synchronous module hooks, and `module.register` hooks
 * do not see `require()`. Each `.js`/`.cjs` handler keeps doing its own work (reading, stripping the BOM, format
 * checks); only the one `_compile` call of the module being loaded receives the woven source.
 */
export function installCommonJsWeaving(weaveSource: LoadTimeWeaver): void {
  const extensions = (Module as unknown as { _extensions: Record<string, ExtensionHandler> })._extensions;
  for (const extension of ['.js', '.cjs']) {
    const loadAsWritten = extensions[extension];
    if (!loadAsWritten) continue;
    extensions[extension] = function loadWoven(module, filename) {
      const compile = module._compile;
      module._compile = function compileWoven(content, compiledName) {
        module._compile = compile;
        return compile.call(this, weaveSource(content, compiledName), compiledName);
      };
      return loadAsWritten.call(this, module, filename);
    };
  }
}
