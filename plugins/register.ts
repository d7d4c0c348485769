/**
 * `node --import apm-weaver/register app.js`: weaves at load time, no bundler. ES modules through module hooks,
 * CommonJS through the require path, with the options of register-options.ts (apm-weaver.config.json or the file
 * named by APM_WEAVER_CONFIG, then APM_WEAVER_OPTIONS as inline JSON). Invalid options stop the process here,
 * before the app runs; a file that cannot be woven is loaded as written.
 */
import { register } from 'node:module';
import { createLoadTimeWeaver } from './load-time-weave.js';
import { installCommonJsWeaving } from './register-cjs.js';
import { loadRegisterOptions } from './register-options.js';

const options = loadRegisterOptions();
installCommonJsWeaving(createLoadTimeWeaver(options));
register('./register-hooks.js', import.meta.url, { data: { options } });
