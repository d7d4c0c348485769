// The project's vitest configuration, with every in-process transport in worker mode:
//   npx vitest run -c test/transport/worker-mode/vitest.config.ts test/transport test/runtime
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../../vitest.config.js';

export default mergeConfig(
  base,
  defineConfig({ test: { setupFiles: ['test/transport/worker-mode/setup.ts'] } }),
);
