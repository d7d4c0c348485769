import { unplugin } from './factory.js';

/** `import apmWeaver from 'apm-weaver/webpack'`; options are `WeaveOptions` plus `verbose` / `silent`. */
export default unplugin.webpack;
