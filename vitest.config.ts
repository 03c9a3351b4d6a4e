import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/helpers/fast-check-seed.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores here and in CI; PGlite instances are heavy, so two files at a time.
    maxWorkers: 2,
    pool: 'forks',
  },
});
