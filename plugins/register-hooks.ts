import type { InitializeHook, LoadHook } from 'node:module';
import { ESM_FORMATS, weaveLoadResult } from './load-result.js';
import { createLoadTimeWeaver, type LoadTimeWeaver } from './load-time-weave.js';
import type { RegisterOptions } from './register-options.js';

/**
 * Asynchronous module hooks for ES modules, registered by register.ts with `module.register` where Node has no
 * `registerHooks` (Node 20), so they run on Node's hooks thread. CommonJS is woven on the main thread by the require
 * path there, so this hook leaves `commonjs` sources alone and nothing is woven twice.
 */
let weaveSource: LoadTimeWeaver | undefined;

export const initialize: InitializeHook<{ options: RegisterOptions }> = (data) => {
  weaveSource = createLoadTimeWeaver(data.options);
};

export const load: LoadHook = async (url, context, nextLoad) => {
  const result = await nextLoad(url, context);
  return weaveSource ? weaveLoadResult(url, result, weaveSource, ESM_FORMATS) : result;
};
