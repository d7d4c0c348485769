import { unplugin } from './factory.js';

/** `import apmWeaver from 'apm-weaver/esbuild'`; options are `WeaveOptions` plus `verbose` / `silent`. */
export default unplugin.esbuild;
