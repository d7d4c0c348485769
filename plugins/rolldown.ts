import { unplugin } from './factory.js';

/** `import apmWeaver from 'apm-weaver/rolldown'`; options are `WeaveOptions` plus `verbose` / `silent`. */
export default unplugin.rolldown;
