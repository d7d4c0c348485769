import { unplugin } from './factory.js';

/** `import apmWeaver from 'apm-weaver/rspack'`; options are `WeaveOptions` plus `verbose` / `silent`. */
export default unplugin.rspack;
