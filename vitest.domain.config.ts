import { defineConfig } from 'vitest/config';

// The pure domain alone: no database, no web build, no global set-up.
// `npx vitest run -c vitest.domain.config.ts` runs every domain test. Mutation testing
// (stryker.config.mjs) narrows it with DOMAIN_TESTS (globs, space-separated) to the tests of the folders it mutates:
// those must pin their own rules, and the history generator's year-long runs (which use the
// clock) would otherwise rerun for every mutant.
export default defineConfig({
  test: {
    include: (process.env.DOMAIN_TESTS ?? 'src/domain/**/*.test.ts').split(' '),
    setupFiles: ['test/helpers/fast-check-seed.ts'],
    testTimeout: 60_000,
    maxWorkers: 2,
    pool: 'forks',
  },
});
