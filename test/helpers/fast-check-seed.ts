import path from 'node:path';
import fc from 'fast-check';

// Property tests run on one seed per test file, printed so a failure can be replayed:
// FC_SEED=<seed> npx vitest run <file>. FC_NUM_RUNS raises (or lowers) the runs of every
// property that does not set its own numRuns. See docs/testing.md.
function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw new Error(`${name} must be an integer, got ${raw}`);
  return Number(raw);
}

const seed = envInt('FC_SEED') ?? (Date.now() ^ Math.floor(Math.random() * 0x1_0000_0000)) | 0;
const numRuns = envInt('FC_NUM_RUNS');

fc.configureGlobal({ seed, ...(numRuns === undefined ? {} : { numRuns }) });

const file = (globalThis as { __vitest_worker__?: { filepath?: string } }).__vitest_worker__?.filepath;
console.info(
  `fast-check seed ${seed}${numRuns === undefined ? '' : `, ${numRuns} runs`}` +
    ` — replay: FC_SEED=${seed} npx vitest run${file ? ` ${path.relative(process.cwd(), file)}` : ''}`,
);
