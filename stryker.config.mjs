// Mutation testing of the pure domain: `npm run test:mutation` (not part of `npm test`).
// See docs/testing.md for how to run one folder and read the report.

// Mutants are judged by the property tests too: one fixed seed, so that a mutant is not
// killed by one run and kept by the next. FC_SEED=<n> overrides it.
process.env.FC_SEED ??= '20261207';
// Every mutant reruns the properties on instrumented code: a few runs each keep a full run
// within reach of two shared cores; the unit tests, written out from the rules, do the pinning.
process.env.FC_NUM_RUNS ??= '10';
// The tests of the three folders (vitest.domain.config.ts).
process.env.DOMAIN_TESTS ??= 'src/domain/{workflow,timelimit,evaluation}/**/*.test.ts';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.domain.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner', './stryker/display-text-ignorer.mjs'],
  ignorers: ['display-text'],
  mutate: [
    'src/domain/{workflow,timelimit,evaluation}/**/*.ts',
    '!src/domain/**/*.test.ts',
    // Test support, not product code.
    '!src/domain/**/{fixtures,testkit,gen}.ts',
  ],
  coverageAnalysis: 'perTest',
  // Two cores shared with others: one or two test processes at a time.
  concurrency: 2,
  timeoutMS: 20_000,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
