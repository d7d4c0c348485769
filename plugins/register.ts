/**
 * `node --import apm-weaver/register app.js`: weaves at load time, no bundler, with the options of
 * register-options.ts (apm-weaver.config.json or the file named by APM_WEAVER_CONFIG, then APM_WEAVER_OPTIONS as
 * inline JSON). Invalid options stop the process here, before the app runs; a file that cannot be woven is loaded
 * as written.
 *
 * Where Node has synchronous in-thread hooks (`module.registerHooks`, 22.15+), one load hook weaves ES modules,
 * CommonJS and Node's type-stripped TypeScript. Node 20 has only `module.register`, whose hooks run on another thread
 * and do not see `require()`: ES modules go through those, CommonJS through the require path.
 */
import * as nodeModule from 'node:module';
import { ALL_FORMATS, type LoadResult, weaveLoadResult } from './load-result.js';
import { createLoadTimeWeaver } from './load-time-weave.js';
import { installCommonJsWeaving } from './register-cjs.js';
import { loadRegisterOptions } from './register-options.js';

type SyncLoadHook = (
  url: string,
  context: object,
  nextLoad: (url: string, context?: object) => LoadResult,
) => LoadResult;
type RegisterHooks = (hooks: { load: SyncLoadHook }) => unknown;

const options = loadRegisterOptions();
const weaveSource = createLoadTimeWeaver(options);
const registerHooks = (nodeModule as { registerHooks?: RegisterHooks }).registerHooks;

if (typeof registerHooks === 'function') {
  registerHooks({
    load: (url, context, nextLoad) => weaveLoadResult(url, nextLoad(url, context), weaveSource, ALL_FORMATS),
  });
} else {
  installCommonJsWeaving(weaveSource);
  nodeModule.register('./register-hooks.js', import.meta.url, { data: { options } });
}
