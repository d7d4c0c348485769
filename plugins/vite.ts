import { unplugin } from './factory.js';

/** `import apmWeaver from 'apm-weaver/vite'`; options are `WeaveOptions` plus `verbose` / `silent`. */
export default unplugin.vite;
