import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // In-process tests load the package's own sources by name; child-process tests use dist/.
    alias: [{ find: /^apm-weaver$/, replacement: here('./runtime/index.ts') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Keeps dist/apm-weaver.js (the package entry) current with runtime/.
    globalSetup: ['test/helpers/runtime-bundle-setup.ts'],
    // Two cores: keep the pool small so real servers and child processes are not starved.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
