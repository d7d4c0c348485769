import type { InitializeHook, LoadHook } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createLoadTimeWeaver, type LoadTimeWeaver } from './load-time-weave.js';
import type { RegisterOptions } from './register-options.js';

/**
 * Module hooks for ES modules, registered by register.ts with `module.register` (Node 20.19 has no `registerHooks`),
 * so they run on Node's hooks thread. CommonJS is woven on the main thread by the require path instead, so this
 * hook leaves `commonjs` sources alone and nothing is woven twice.
 */
let weaveSource: LoadTimeWeaver | undefined;

export const initialize: InitializeHook<{ options: RegisterOptions }> = (data) => {
  weaveSource = createLoadTimeWeaver(data.options);
};

export const load: LoadHook = async (url, context, nextLoad) => {
  const result = await nextLoad(url, context);
  if (!weaveSource || result.format !== 'module' || !url.startsWith('file:') || result.source == null)
    return result;
  const code = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
  const woven = weaveSource(code, fileURLToPath(url));
  return woven === code ? result : { ...result, source: woven };
};
