// Mutation testing of the pure domain: `npm run test:mutation` (not part of `npm test`).
// STRYKER_FOLDER=workflow|timelimit|evaluation mutates one folder, with its own incremental
// file, report and sandbox, so folders can be measured one at a time (or side by side).
// See docs/testing.md.

const FOLDERS = ['workflow', 'timelimit', 'evaluation'];
const folder = process.env.STRYKER_FOLDER ?? '';
if (folder !== '' && !FOLDERS.includes(folder))
  throw new Error(`STRYKER_FOLDER must be one of ${FOLDERS.join(', ')}, got ${folder}`);
const name = folder || 'all';
const glob = folder || `{${FOLDERS.join(',')}}`;

// Mutants are judged by the property tests too: one fixed seed, so that a mutant is not
// killed by one run and kept by the next. FC_SEED=<n> overrides it.
process.env.FC_SEED ??= '20261207';
// Every mutant reruns the properties on instrumented code: a few runs each keep a full run
// within reach of two shared cores; the unit tests, written out from the rules, do the pinning.
process.env.FC_NUM_RUNS ??= '10';
// The tests of the folders mutated (vitest.domain.config.ts).
process.env.DOMAIN_TESTS ??= `src/domain/${glob}/**/*.test.ts`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.domain.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner', './stryker/display-text-ignorer.mjs'],
  ignorers: ['display-text'],
  mutate: [
    `src/domain/${glob}/**/*.ts`,
    '!src/domain/**/*.test.ts',
    // Test support, not product code.
    '!src/domain/**/{fixtures,testkit,gen}.ts',
  ],
  coverageAnalysis: 'perTest',
  // Two cores shared with others: one or two test processes at a time.
  concurrency: 2,
  timeoutMS: 20_000,
  incremental: true,
  incrementalFile: `reports/mutation/${name}/incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}/mutation.html` },
  jsonReporter: { fileName: `reports/mutation/${name}/mutation.json` },
  // Other folders' sandboxes and reports are not part of the project.
  ignorePatterns: ['/.stryker-tmp', '/reports'],
  tempDirName: `.stryker-tmp/${name}`,
  cleanTempDir: true,
};
