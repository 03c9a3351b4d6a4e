import { defineConfig } from 'vitest/config';

// The pure domain alone: no database, no web build, no global set-up. Used by mutation
// testing (stryker.config.mjs), where every mutant reruns the tests that cover it.
export default defineConfig({
  test: {
    include: ['src/domain/**/*.test.ts'],
    setupFiles: ['test/helpers/fast-check-seed.ts'],
    testTimeout: 60_000,
    maxWorkers: 2,
    pool: 'forks',
  },
});
