import { unplugin } from './factory.js';

/** `import apmWeaver from 'apm-weaver/rollup'`; options are `WeaveOptions` plus `verbose` / `silent`. */
export default unplugin.rollup;
